import type { CustomerDto } from '../../contracts/api';
import type { CsvImportReportDto, SubscriptionEventRequest, SubscriptionEventResultDto, WebhookSecretDto } from '../../contracts/customers';
import { signPayload } from '../../server/src/customers/webhook-signature';
import { startTestApp, type TestApp } from '../support/app';

describe('subscribers: CSV import and the subscription webhook', () => {
  let t: TestApp;
  let admin: string;
  let careOwner: string;
  let agent: string;

  const asUser = async (role: 'care_owner' | 'agent') => {
    const email = `${role}@example.com`;
    const created = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name: role, role, password: 'password-12345' });
    expect(created.status).toBe(201);
    return t.login(email, 'password-12345');
  };
  const customerByEmail = async (email: string): Promise<CustomerDto | undefined> => {
    const response = await t.http.get('/api/customers').query({ q: email }).auth(admin, { type: 'bearer' });
    return (response.body as CustomerDto[]).find((customer) => customer.email === email);
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    careOwner = await asUser('care_owner');
    agent = await asUser('agent');
  });

  afterAll(() => t.close());

  describe('CSV import', () => {
    const upload = (token: string, csv: string, mode?: string) =>
      t.http
        .post('/api/customers/import')
        .query(mode ? { mode } : {})
        .auth(token, { type: 'bearer' })
        .attach('file', Buffer.from(csv), { filename: 'subscribers.csv', contentType: 'text/csv' });

    const file = [
      'email,name,status,started_at,cycle,next_renewal_at,skipped_cycles,plan,lifetime_value,time_zone',
      'ada@example.com,Ada Lovelace,active,2031-01-05,2,2031-03-05,0,Beans 1kg,49.80,Europe/London',
      'broken-address,Bad Row,active,,,,,,,',
      'bob@example.com,Bob,paused,2031-01-20T10:00:00+01:00,1,,1,Beans 500g,12.40,',
      'cy@example.com,Cy,sleeping,,,,,,,Mars/Olympus',
    ].join('\n');

    it('is for care owners only', async () => {
      expect((await upload(agent, file)).status).toBe(403);
    });

    it('refuses the whole file in all-or-nothing mode and says which rows were bad', async () => {
      const response = await upload(careOwner, file, 'all_or_nothing');
      expect(response.status).toBe(200);
      const report = response.body as CsvImportReportDto;
      expect(report).toMatchObject({ created: 0, updated: 0, refused: 2, heldBack: 2 });
      expect(report.rows.map((row) => [row.line, row.outcome])).toEqual([
        [2, 'held_back'],
        [3, 'refused'],
        [4, 'held_back'],
        [5, 'refused'],
      ]);
      expect(await customerByEmail('ada@example.com')).toBeUndefined();
    });

    it('imports every good row in one go and reports each bad one with its reasons', async () => {
      const response = await upload(careOwner, file);
      const report = response.body as CsvImportReportDto;
      expect(report).toMatchObject({ mode: 'skip_bad_rows', created: 2, updated: 0, refused: 2, heldBack: 0 });
      expect(report.rows[1]).toEqual({ line: 3, email: 'broken-address', outcome: 'refused', errors: [{ field: 'email', message: 'must be an email address' }] });
      expect(report.rows[3].errors.map((error) => error.field)).toEqual(['status', 'time_zone']);
      expect(await customerByEmail('ada@example.com')).toMatchObject({
        name: 'Ada Lovelace',
        subscriptionStatus: 'active',
        subscriptionStartedAt: '2031-01-05T00:00:00.000Z',
        currentCycle: 2,
        plan: 'Beans 1kg',
        lifetimeValue: 49.8,
        timeZone: 'Europe/London',
      });
      expect(await customerByEmail('bob@example.com')).toMatchObject({ subscriptionStatus: 'paused', skippedCycles: 1, subscriptionStartedAt: '2031-01-20T09:00:00.000Z' });
    });

    it('updates known customers, keeping what a row leaves empty', async () => {
      const response = await upload(careOwner, 'email,cycle,plan\nada@example.com,3,\nnew@example.com,,Tea');
      expect((response.body as CsvImportReportDto).rows.map((row) => row.outcome)).toEqual(['updated', 'created']);
      expect(await customerByEmail('ada@example.com')).toMatchObject({ currentCycle: 3, plan: 'Beans 1kg', subscriptionStatus: 'active' });
    });

    it('takes how and why a subscriber cancelled from the file, and refuses a reason without a cancellation date', async () => {
      const response = await upload(
        careOwner,
        'email,status,started_at,cancelled_at,cancellation_kind,cancellation_reason\ngil@example.com,cancelled,2031-01-02,2031-02-10,involuntary,payment failed\nhal@example.com,active,2031-01-02,,voluntary,',
      );
      const report = response.body as CsvImportReportDto;
      expect(report.rows.map((row) => row.outcome)).toEqual(['created', 'refused']);
      expect(report.rows[1].errors).toEqual([{ field: 'cancelled_at', message: 'is needed when the row says how or why the subscription was cancelled' }]);
      expect(await customerByEmail('gil@example.com')).toMatchObject({ subscriptionStatus: 'cancelled', cancellationKind: 'involuntary', cancellationReason: 'payment failed' });
    });

    it('refuses a file it cannot read as a whole, with a reason', async () => {
      const response = await upload(careOwner, 'email,colour\nann@example.com,blue');
      expect(response.status).toBe(400);
      expect(response.body.message).toMatch(/unknown columns: colour/);
    });
  });

  describe('subscription webhook', () => {
    let secret: string;
    const event = (id: string, type: SubscriptionEventRequest['type'], extra: Partial<SubscriptionEventRequest> = {}): SubscriptionEventRequest => ({
      id,
      type,
      occurredAt: '2031-02-01T09:00:00.000Z',
      customer: { email: 'dora@example.com', name: 'Dora' },
      ...extra,
    });
    const unixNow = () => Math.floor(Date.now() / 1000);
    const signed = (body: SubscriptionEventRequest | object, key = secret, timestamp = unixNow()) => {
      const raw = JSON.stringify(body);
      return t.http
        .post('/api/subscriptions/events')
        .set('Content-Type', 'application/json')
        .set('X-Careloop-Timestamp', String(timestamp))
        .set('X-Careloop-Signature', signPayload(key, raw, timestamp))
        .send(raw);
    };

    beforeAll(async () => {
      const response = await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' });
      expect(response.status).toBe(201);
      secret = (response.body as WebhookSecretDto).secret;
    });

    it('refuses unsigned, wrongly signed and tampered requests', async () => {
      const body = event('evt_unsigned', 'created');
      expect((await t.http.post('/api/subscriptions/events').send(body)).status).toBe(401);
      expect((await signed(body, 'whsec_wrong')).status).toBe(401);
      const raw = JSON.stringify(body);
      const timestamp = unixNow();
      const tampered = await t.http
        .post('/api/subscriptions/events')
        .set('Content-Type', 'application/json')
        .set('X-Careloop-Timestamp', String(timestamp))
        .set('X-Careloop-Signature', signPayload(secret, raw, timestamp))
        .send(raw.replace('created', 'cancelled'));
      expect(tampered.status).toBe(401);
      expect(await customerByEmail('dora@example.com')).toBeUndefined();
    });

    it('refuses a signed request replayed after five minutes', async () => {
      expect((await signed(event('evt_stale', 'created'), secret, unixNow() - 301)).status).toBe(401);
      expect(await customerByEmail('dora@example.com')).toBeUndefined();
    });

    it('checks the signature before the schema: an unsigned caller learns nothing about the body it should send', async () => {
      const unsigned = await t.http.post('/api/subscriptions/events').send({ id: 42 });
      expect(unsigned.status).toBe(401);
      expect(JSON.stringify(unsigned.body)).not.toMatch(/occurredAt|customer/);
      const signedButBad = await signed({ id: 42 });
      expect(signedButBad.status).toBe(400);
      expect(JSON.stringify(signedButBad.body)).toMatch(/id/);
    });

    it('still takes the untimed signature of the body alone during its deprecation period', async () => {
      const raw = JSON.stringify(event('evt_untimed', 'created', { customer: { email: 'old-sender@example.com', name: 'Old' } }));
      const response = await t.http.post('/api/subscriptions/events').set('Content-Type', 'application/json').set('X-Careloop-Signature', signPayload(secret, raw)).send(raw);
      expect(response.status).toBe(200);
    });

    it('applies a signed event once, however often it is delivered', async () => {
      const body = event('evt_1', 'created', { subscription: { plan: 'Beans 1kg', amount: 24.9, nextRenewalAt: '2031-03-01T09:00:00.000Z' } });
      const first = await signed(body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ status: 'applied' });
      const again = await Promise.all([signed(body), signed(body)]);
      expect(again.map((response) => (response.body as SubscriptionEventResultDto).status)).toEqual(['duplicate', 'duplicate']);
      expect(again[0].body.customerId).toBe(first.body.customerId);
      expect(await customerByEmail('dora@example.com')).toMatchObject({ subscriptionStatus: 'active', currentCycle: 1, lifetimeValue: 24.9, nextRenewalAt: '2031-03-01T09:00:00.000Z' });
    });

    it('accepts the secret as bearer token from senders that cannot sign, and walks the subscription through its life', async () => {
      const send = (body: SubscriptionEventRequest) => t.http.post('/api/subscriptions/events').auth(secret, { type: 'bearer' }).send(body);
      expect((await send(event('evt_2', 'skipped'))).status).toBe(200);
      await send(event('evt_3', 'skipped'));
      expect(await customerByEmail('dora@example.com')).toMatchObject({ skippedCycles: 2, currentCycle: 1 });
      await send(event('evt_4', 'renewed', { subscription: { amount: 24.9 } }));
      expect(await customerByEmail('dora@example.com')).toMatchObject({ skippedCycles: 0, currentCycle: 2, lifetimeValue: 49.8 });
      await send(event('evt_5', 'cancelled', { occurredAt: '2031-04-02T08:00:00.000Z', cancellation: { kind: 'involuntary', reason: 'card declined' } }));
      expect(await customerByEmail('dora@example.com')).toMatchObject({
        subscriptionStatus: 'cancelled',
        cancelledAt: '2031-04-02T08:00:00.000Z',
        cancellationKind: 'involuntary',
        cancellationReason: 'card declined',
      });
      await send(event('evt_6', 'reactivated', { occurredAt: '2031-05-01T08:00:00.000Z' }));
      expect(await customerByEmail('dora@example.com')).toMatchObject({ subscriptionStatus: 'active', cancelledAt: null, cancellationKind: null });
    });

    it('keeps the newer state when an older event is delivered late', async () => {
      const send = (body: SubscriptionEventRequest) => t.http.post('/api/subscriptions/events').auth(secret, { type: 'bearer' }).send(body);
      const erin = (id: string, type: SubscriptionEventRequest['type'], occurredAt: string, extra: Partial<SubscriptionEventRequest> = {}) =>
        event(id, type, { occurredAt, customer: { email: 'erin@example.com' }, ...extra });
      await send(erin('erin_1', 'created', '2031-01-01T09:00:00.000Z', { subscription: { amount: 20 } }));
      await send(erin('erin_3', 'cancelled', '2031-03-05T09:00:00.000Z', { cancellation: { kind: 'voluntary', reason: 'moving abroad' } }));
      const late = await send(erin('erin_2', 'renewed', '2031-03-01T09:00:00.000Z', { subscription: { amount: 20, cycle: 3 } }));
      expect(late.body).toMatchObject({ status: 'applied' });
      expect(await customerByEmail('erin@example.com')).toMatchObject({
        subscriptionStatus: 'cancelled',
        cancelledAt: '2031-03-05T09:00:00.000Z',
        cancellationKind: 'voluntary',
        currentCycle: 1,
        lifetimeValue: 40,
      });
    });

    it('refuses a cancellation reason on an event that is not a cancellation, naming the field', async () => {
      const response = await t.http
        .post('/api/subscriptions/events')
        .auth(secret, { type: 'bearer' })
        .send(event('evt_bad', 'renewed', { cancellation: { kind: 'voluntary' } }));
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toMatch(/cancellation/);
    });

    it('stops accepting the old secret once it is rotated', async () => {
      const old = secret;
      secret = ((await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' })).body as WebhookSecretDto).secret;
      expect((await signed(event('evt_7', 'paused'), old)).status).toBe(401);
      expect((await signed(event('evt_7', 'paused'))).status).toBe(200);
      expect((await t.http.get('/api/subscriptions/webhook-secret').auth(agent, { type: 'bearer' })).status).toBe(403);
    });
  });
});
