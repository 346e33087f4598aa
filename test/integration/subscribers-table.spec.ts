import type { CustomerDto } from '../../contracts/api';
import { SUBSCRIBER_SORTS, type Customer360Dto, type SubscriberPageDto, type SubscriberPlanDto, type SubscriberSort } from '../../contracts/customers';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';

/** Thirteen subscribers (and one customer without a subscription) with gaps: no plan, no cycle, no renewal. */
const CSV = [
  'email,name,status,started_at,cycle,next_renewal_at,plan,lifetime_value,currency',
  'ada@example.com,ada,active,2031-01-05,3,2031-04-05,Beans 1kg,74.70,EUR',
  'bo@example.com,bo,active,2031-02-01,2,2031-04-01,Beans 500g,24.80,EUR',
  'cy@example.com,cy,paused,2031-01-20,1,,Beans 500g,12.40,EUR',
  'di@example.com,,active,2031-03-01,1,2031-04-01,Beans 1kg,24.90,GBP',
  'ed@example.com,ed,cancelled,2030-11-01,4,,Beans 1kg,99.60,EUR',
  'fi@example.com,fi,active,2031-02-15,,2031-03-15,,0,',
  'gu@example.com,gu,active,2030-12-10,5,2031-04-10,Espresso,150.00,USD',
  'ha@example.com,ha,cancelled,2031-01-02,1,,Espresso,30.00,USD',
  'io@example.com,io,active,2031-03-02,1,2031-04-02,Beans 500g,12.40,EUR',
  'jo@example.com,jo,paused,,2,,Beans 1kg,49.80,EUR',
  'ky@example.com,ky,active,2031-01-28,3,2031-04-28,Espresso,90.00,USD',
  'lu@example.com,lu,active,2031-02-03,2,2031-04-03,,24.80,EUR',
  'mo@example.com,mo,cancelled,2030-10-01,7,,Beans 500g,86.80,EUR',
  'nobody@example.com,nobody,none,,,,,,',
].join('\n');

/** Each sort's value as the table orders it (null: no value, last either way). */
const VALUE: Record<SubscriberSort, (customer: CustomerDto) => string | number | null> = {
  name: (customer) => (customer.name ?? customer.email).toLowerCase(),
  status: (customer) => ['none', 'active', 'paused', 'cancelled'].indexOf(customer.subscriptionStatus),
  plan: (customer) => customer.plan,
  cycle: (customer) => customer.currentCycle,
  next_renewal: (customer) => customer.nextRenewalAt,
  lifetime_value: (customer) => customer.lifetimeValue,
  started: (customer) => customer.subscriptionStartedAt,
};

function expectedOrder(customers: CustomerDto[], sort: SubscriberSort, order: 'asc' | 'desc'): string[] {
  const sign = order === 'asc' ? 1 : -1;
  const compare = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
  return [...customers]
    .sort((a, b) => {
      const [x, y] = [VALUE[sort](a), VALUE[sort](b)];
      if (x === null || y === null) return x === y ? sign * compare(a.id, b.id) : x === null ? 1 : -1;
      return sign * (compare(x, y) || compare(a.id, b.id));
    })
    .map((customer) => customer.email);
}

describe('the subscribers table (sorted, filtered and paged in PostgreSQL) and who may change customers', () => {
  let t: TestApp;
  let admin: string;
  let careOwner: string;
  let lead: string;
  let agent: string;
  let everyone: CustomerDto[];

  const user = async (email: string, role: string) => {
    expect((await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name: email.split('@')[0], role, password: 'password-12345' })).status).toBe(201);
    return t.login(email, 'password-12345');
  };
  const table = (token: string, query: Record<string, string | number>) => t.http.get('/api/subscribers').query(query).auth(token, { type: 'bearer' });
  const page = async (query: Record<string, string | number>) => {
    const response = await table(agent, query);
    expect(response.status).toBe(200);
    return response.body as SubscriberPageDto;
  };
  const emails = (found: SubscriberPageDto) => found.items.map((customer) => customer.email);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    careOwner = await user('carla@example.com', 'care_owner');
    lead = await user('lea@example.com', 'lead');
    agent = await user('agnes@example.com', 'agent');
    const imported = await t.http.post('/api/customers/import').auth(careOwner, { type: 'bearer' }).attach('file', Buffer.from(CSV), { filename: 'subscribers.csv', contentType: 'text/csv' });
    expect(imported.body).toMatchObject({ created: 14, refused: 0 });
    everyone = (await page({ limit: 200 })).items;
  });

  afterAll(() => t.close());

  it('shows everyone with a subscription by default, with plan, cycle, next renewal and lifetime value in its currency', () => {
    expect(everyone).toHaveLength(13);
    expect(everyone.find((customer) => customer.email === 'gu@example.com')).toMatchObject({ subscriptionStatus: 'active', plan: 'Espresso', currentCycle: 5, nextRenewalAt: '2031-04-10T00:00:00.000Z', lifetimeValue: 150, currency: 'USD' });
    expect(everyone.find((customer) => customer.email === 'fi@example.com')).toMatchObject({ plan: null, currentCycle: null, currency: null });
  });

  it.each(SUBSCRIBER_SORTS.flatMap((sort) => (['asc', 'desc'] as const).map((order) => [sort, order] as const)))('sorts by %s %s, rows without a value last, the same page by page forwards and back', async (sort, order) => {
    const expected = expectedOrder(everyone, sort, order);
    const forwards: SubscriberPageDto[] = [await page({ sort, order, limit: 4 })];
    while (forwards.at(-1)?.next) forwards.push(await page({ sort, order, limit: 4, after: forwards.at(-1)?.next ?? '' }));
    expect(forwards.flatMap(emails)).toEqual(expected);
    expect(forwards.map((found) => found.items.length)).toEqual([4, 4, 4, 1]);
    expect(forwards[0].prev).toBeNull();
    expect(forwards.every((found) => found.total === 13)).toBe(true);
    // Back from the last page with `before`, page by page, to the first (which has no page before it).
    const backwards: SubscriberPageDto[] = [forwards[3]];
    while (backwards[0].prev) backwards.unshift(await page({ sort, order, limit: 4, before: backwards[0].prev }));
    expect(backwards.map(emails)).toEqual(forwards.map(emails));
  });

  it('filters by status, plan, cycle and a search, and counts what matches', async () => {
    const paused = await page({ status: 'paused', sort: 'name' });
    expect(emails(paused)).toEqual(['cy@example.com', 'jo@example.com']);
    expect(paused.total).toBe(2);
    expect(emails(await page({ status: 'none' }))).toEqual(['nobody@example.com']);
    const espresso = await page({ plan: 'Espresso', status: 'active', sort: 'lifetime_value', order: 'desc' });
    expect(emails(espresso)).toEqual(['gu@example.com', 'ky@example.com']);
    const firstCycle = await page({ cycleMin: 1, cycleMax: 1, sort: 'started', order: 'asc' });
    expect(emails(firstCycle)).toEqual(['ha@example.com', 'cy@example.com', 'di@example.com', 'io@example.com']);
    expect(emails(await page({ cycleMin: 5 }))).toEqual(['gu@example.com', 'mo@example.com']);
    expect(emails(await page({ q: 'KY@EXAM' }))).toEqual(['ky@example.com']);
    expect(emails(await page({ q: 'di@' }))).toEqual(['di@example.com']);
    expect((await page({ q: '100%_' })).total).toBe(0);
    const plans = (await t.http.get('/api/subscribers/plans').auth(agent, { type: 'bearer' })).body as SubscriberPlanDto[];
    expect(plans).toEqual([
      { plan: 'Beans 1kg', customers: 4 },
      { plan: 'Beans 500g', customers: 4 },
      { plan: 'Espresso', customers: 3 },
    ]);
  });

  it('answers a bad query with 400 naming the field', async () => {
    const fieldOf = async (query: Record<string, string | number>) => {
      const response = await table(agent, query);
      expect(response.status).toBe(400);
      return (response.body as { fields: { field: string }[] }).fields.map((entry) => entry.field);
    };
    expect(await fieldOf({ sort: 'email_desc' })).toEqual(['sort']);
    expect(await fieldOf({ order: 'up' })).toEqual(['order']);
    expect(await fieldOf({ status: 'active,sleeping' })).toEqual(['status.1']);
    expect(await fieldOf({ cycleMin: 3, cycleMax: 2 })).toEqual(['cycleMax']);
    expect(await fieldOf({ cycleMin: 'first' })).toEqual(['cycleMin']);
    expect(await fieldOf({ limit: 0 })).toEqual(['limit']);
    expect(await fieldOf({ after: 'not-a-cursor' })).toEqual(['after']);
    const byName = await page({ sort: 'name', limit: 2 });
    expect(await fieldOf({ sort: 'plan', after: byName.next ?? '' })).toEqual(['after']);
    expect(await fieldOf({ after: byName.next ?? '', before: byName.next ?? '' })).toEqual(['before']);
  });

  it('lets an agent open a customer page (tickets, subscription, lifetime value) but refuses every change with 403', async () => {
    const ada = everyone.find((customer) => customer.email === 'ada@example.com') as CustomerDto;
    await createTicket(t.app, { from: 'ada@example.com', subject: 'Grinder question' });
    const overview = await t.http.get(`/api/customers/${ada.id}/overview`).auth(agent, { type: 'bearer' });
    expect(overview.status).toBe(200);
    const body = overview.body as Customer360Dto;
    expect(body.customer).toMatchObject({ subscriptionStatus: 'active', plan: 'Beans 1kg', lifetimeValue: 74.7, currency: 'EUR' });
    expect(body.tickets.map((ticket) => ticket.subject)).toEqual(['Grinder question']);

    const as = (token: string) => ({
      create: () => t.http.post('/api/customers').auth(token, { type: 'bearer' }).send({ email: `new.${token.slice(-6)}@example.com` }),
      edit: () => t.http.patch(`/api/customers/${ada.id}`).auth(token, { type: 'bearer' }).send({ name: 'Ada L.' }),
      remove: (id: string) => t.http.delete(`/api/customers/${id}`).auth(token, { type: 'bearer' }),
      importCsv: () => t.http.post('/api/customers/import').auth(token, { type: 'bearer' }).attach('file', Buffer.from('email\nzed@example.com\n'), { filename: 'x.csv', contentType: 'text/csv' }),
    });
    const nobody = everyone.find((customer) => customer.email === 'mo@example.com') as CustomerDto;
    expect((await as(agent).create()).status).toBe(403);
    expect((await as(agent).edit()).status).toBe(403);
    expect((await as(agent).remove(nobody.id)).status).toBe(403);
    expect((await as(agent).importCsv()).status).toBe(403);
    expect((await t.http.get(`/api/customers/${ada.id}`).auth(agent, { type: 'bearer' })).body).toMatchObject({ name: 'ada' });
    // Leads and care owners change customers.
    expect((await as(lead).edit()).body).toMatchObject({ name: 'Ada L.' });
    expect((await as(careOwner).create()).status).toBe(201);
  });
});
