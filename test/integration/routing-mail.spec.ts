import { simpleParser } from 'mailparser';
import { DataSource } from 'typeorm';
import type { TeamDto, TicketDetailDto, TicketPageDto } from '../../contracts/api';
import type { MacroDto } from '../../contracts/automation';
import { AUTO_REPLY_QUEUE } from '../../server/src/routing/routing-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';

describe('routing on real inbound email (Dovecot + SMTP on loopback)', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let billing: TeamDto;

  const tickets = async () => ((await t.http.get('/api/tickets?limit=200').auth(admin, { type: 'bearer' })).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(admin, { type: 'bearer' })).body as TicketDetailDto;
  const ticketWithSubject = (subject: string) => waitFor(`a ticket "${subject}"`, async () => (await tickets()).find((ticket) => ticket.subject === subject));

  beforeAll(async () => {
    stack = await startMailStack({ users: [{ address: SUPPORT, password: SUPPORT_PASSWORD }, { address: CUSTOMER, password: 'maya-pass' }] });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '1' } });
    admin = await t.login();
    billing = (await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Billing' })).body as TeamDto;
    await connectMailbox(t, stack, admin);

    const macro = (await t.http
      .post('/api/macros')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'Refund triage', actions: [{ type: 'add_tags', tags: ['refund'] }, { type: 'set_priority', priority: 'high' }] })).body as MacroDto;
    const rule = await t.http
      .post('/api/routing/rules')
      .auth(admin, { type: 'bearer' })
      .send({
        name: 'Refunds to billing',
        conditions: [{ field: 'subject', operator: 'matches', value: 'refund|money back' }],
        actions: [
          { type: 'set_team', teamId: billing.id },
          { type: 'apply_macro', macroId: macro.id },
          { type: 'send_auto_reply', body: 'Hi {{ customer.email }}, billing has your request #{{ ticket.number }}.' },
        ],
      });
    expect(rule.status).toBe(201);
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('routes the next inbound email and answers it with an automatic reply', async () => {
    await stack.deliver(email({ from: CUSTOMER, subject: 'I want a refund', body: 'The beans were stale.', messageId: `refund.${Date.now()}@example.com` }), { from: CUSTOMER, to: [SUPPORT] });
    const ticket = await ticketWithSubject('I want a refund');
    await waitFor('the rule to fire', async () => (await detail(ticket.id)).events.some((event) => event.type === 'rule.fired'));
    expect(await detail(ticket.id)).toMatchObject({ teamId: billing.id, priority: 'high', tags: ['refund'] });

    const [received] = await stack.waitForMessages(CUSTOMER, 1, 15_000);
    const parsed = await simpleParser(received.source);
    expect(parsed.text).toContain(`Hi ${CUSTOMER}, billing has your request #${ticket.number}.`);
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
  });

  it('never answers an auto-reply, though the rule still routes it', async () => {
    const before = (await stack.listMessages(CUSTOMER)).length;
    await stack.deliver(
      email({ from: CUSTOMER, subject: 'Automatic reply: refund', body: 'I am away.', messageId: `ooo.${Date.now()}@example.com`, headers: { 'Auto-Submitted': 'auto-replied' } }),
      { from: CUSTOMER, to: [SUPPORT] },
    );
    const ticket = await ticketWithSubject('Automatic reply: refund');
    const fired = await waitFor('the rule to fire', async () => (await detail(ticket.id)).events.find((event) => event.type === 'rule.fired'));
    expect(fired.data.actions).toContain('Did not send the automatic reply: the message is an auto-reply or bulk mail');
    expect((await detail(ticket.id)).teamId).toBe(billing.id);
    expect((await detail(ticket.id)).messages.filter((message) => message.direction === 'outbound')).toEqual([]);
    expect(await stack.listMessages(CUSTOMER)).toHaveLength(before);
  });
  it('sends no more than three automatic replies an hour to one customer, however many mails the rule answers', async () => {
    const subjects = ['refund again', 'refund, third time', 'refund, fourth time'];
    for (const subject of subjects) {
      await stack.deliver(email({ from: CUSTOMER, subject, body: 'Still waiting.', messageId: `${subject.replace(/\W+/g, '-')}.${Date.now()}@example.com` }), { from: CUSTOMER, to: [SUPPORT] });
    }
    for (const subject of subjects) {
      const ticket = await ticketWithSubject(subject);
      await waitFor(`the rule to fire on "${subject}"`, async () => (await detail(ticket.id)).events.some((event) => event.type === 'rule.fired'));
    }
    const db = t.app.get(DataSource);
    await waitFor('every automatic reply job done', async () => {
      const [row] = await db.query<{ n: number }[]>("SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state NOT IN ('completed', 'failed', 'cancelled')", [AUTO_REPLY_QUEUE]);
      return row.n === 0;
    });
    // One from the first test, two of these three: the default limit is three an hour per recipient.
    const received = await stack.waitForMessages(CUSTOMER, 3, 15_000);
    const automatic = await Promise.all(received.map(async (message) => (await simpleParser(message.source)).headers.get('auto-submitted')));
    expect(automatic).toEqual(['auto-replied', 'auto-replied', 'auto-replied']);
    // Every job is done, so a fourth would be queued by now.
    const [queued] = await db.query<{ n: number }[]>("SELECT count(*)::int AS n FROM messages WHERE automatic AND direction = 'outbound'");
    expect(queued.n).toBe(3);
    // The one held back says so on its ticket's timeline; the answered ones do not.
    const timelines = await Promise.all(subjects.map(async (subject) => (await detail((await ticketWithSubject(subject)).id)).events));
    const held = timelines.flat().filter((event) => event.type === 'auto_reply.held');
    expect(held).toEqual([expect.objectContaining({ actorType: 'rule', data: { recipient: CUSTOMER, limit: 3 } })]);
  });
});
