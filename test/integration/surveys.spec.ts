import { DataSource } from 'typeorm';
import type { Customer360Dto } from '../../contracts/customers';
import type { SatisfactionReportDto } from '../../contracts/reports';
import { reactions } from '../support/events';
import { CareMailer } from '../../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import { SurveysService } from '../../server/src/reports/surveys/surveys.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { signInAs } from './care-fixtures';
import { setUpCare, startSmtpSink, type CareWorkspace, type SmtpSink } from './journeys-harness';
import { ManualClock } from './sla-harness';

const HOUR = 3_600_000;
const START = new Date('2031-05-05T09:00:00.000Z');
const after = (hours: number) => new Date(START.getTime() + hours * HOUR).toISOString();
/** Where customers reach Careloop (CARELOOP_PUBLIC_URL): survey links start here, whatever else is configured. */
const PUBLIC_URL = 'https://help.beanbox.test';

interface Scenario {
  t: TestApp;
  clock: ManualClock;
  care: CareWorkspace;
  db: DataSource;
  /** A ticket from this customer in the care mailbox, with one inbound message. */
  ticket(from: string, flags?: string[]): Promise<{ id: string; number: number; customerId: string }>;
  setStatus(ticketId: string, status: string, at: string): Promise<void>;
  /** Moves the clock and runs the survey pass. */
  sendDueAt(iso: string): Promise<void>;
  mailsTo(address: string): SmtpSink['messages'];
  close(): Promise<void>;
}

describe('CSAT surveys', () => {
  let sink: SmtpSink;
  beforeAll(async () => {
    sink = await startSmtpSink();
  });
  afterAll(() => sink.close());

  async function scenario(): Promise<Scenario> {
    const clock = new ManualClock(START);
    const t = await startTestApp({ clock, env: { CARELOOP_WORKERS: 'false', CARELOOP_PUBLIC_URL: PUBLIC_URL } });
    const care = await setUpCare(t, sink, { weeklyEmailCap: 5 });
    const db = t.app.get(DataSource);
    await t.http.patch('/api/reports/settings').auth(care.admin, { type: 'bearer' }).send({ workspaceName: 'Beanbox Coffee' });
    return {
      t,
      clock,
      care,
      db,
      async ticket(from, flags = []) {
        const ticket = await createTicket(t.app, { from, subject: 'Grinder arrived broken', createdAt: clock.now() });
        await db.query(`UPDATE tickets SET mailbox_id = $2 WHERE id = $1`, [ticket.id, care.mailbox.id]);
        await db.query(`UPDATE messages SET flags = $2 WHERE ticket_id = $1`, [ticket.id, flags]);
        return { id: ticket.id, number: ticket.number, customerId: ticket.customerId as string };
      },
      async setStatus(ticketId, status, at) {
        clock.set(at);
        const response = await t.http.patch(`/api/tickets/${ticketId}`).auth(care.admin, { type: 'bearer' }).send({ status });
        expect(response.status).toBe(200);
        await reactions(t.app);
      },
      async sendDueAt(iso) {
        clock.set(iso);
        await t.app.get(SurveysService).sendDue();
      },
      mailsTo: (address) => sink.messages.filter((mail) => mail.to === address),
      close: () => t.close(),
    };
  }

  const linkIn = (text: string, answer: string) => {
    const match = new RegExp(`(http\\S+/api/surveys/[^?\\s]+)\\?answer=${answer}`).exec(text);
    if (!match) throw new Error(`no ${answer} link in: ${text}`);
    return match[1];
  };

  it('goes out once, after the delay, threaded on the ticket and marked as automatic', async () => {
    const s = await scenario();
    const address = `once.${Date.now()}@example.com`;
    const ticket = await s.ticket(address);
    await s.setStatus(ticket.id, 'solved', after(1));
    await s.sendDueAt(after(24.5));
    expect(s.mailsTo(address)).toHaveLength(0);
    await s.sendDueAt(after(25.1));
    const [mail, ...more] = s.mailsTo(address);
    expect(more).toHaveLength(0);
    expect(mail.headers.get('auto-submitted')).toBe('auto-generated');
    expect(mail.subject).toContain(`[#${ticket.number}]`);
    expect(mail.headers.get('references')).toMatch(new RegExp(`careloop-ticket\\.${ticket.number}\\.[0-9a-f]{16}@careloop\\.test`));
    expect(mail.text).toContain('Beanbox Coffee');
    // A reopen and a second solve do not send a second survey.
    await s.setStatus(ticket.id, 'open', after(30));
    await s.setStatus(ticket.id, 'solved', after(31));
    await s.sendDueAt(after(80));
    expect(s.mailsTo(address)).toHaveLength(1);
    const timeline = await s.t.http.get(`/api/tickets/${ticket.id}`).auth(s.care.admin, { type: 'bearer' });
    expect(JSON.stringify(timeline.body)).toContain('survey.sent');
    await s.close();
  });

  it('is not sent for auto-replies, after a reopen before it went, or to an unsubscribed customer', async () => {
    const s = await scenario();
    const robot = `robot.${Date.now()}@example.com`;
    const reopened = `reopened.${Date.now()}@example.com`;
    const gone = `gone.${Date.now()}@example.com`;
    const automatic = await s.ticket(robot, ['auto_reply']);
    const again = await s.ticket(reopened);
    const unsubscribed = await s.ticket(gone);
    await s.db.query(`INSERT INTO unsubscribes (customer_id, created_at) VALUES ($1, $2)`, [unsubscribed.customerId, s.clock.now()]);
    for (const ticket of [automatic, again, unsubscribed]) await s.setStatus(ticket.id, 'solved', after(1));
    await s.setStatus(again.id, 'open', after(5));
    await s.sendDueAt(after(48));
    expect([s.mailsTo(robot), s.mailsTo(reopened), s.mailsTo(gone)].map((mails) => mails.length)).toEqual([0, 0, 0]);
    const states = await s.db.query<{ ticket_id: string; state: string }[]>(`SELECT ticket_id, state FROM surveys`);
    expect(new Map(states.map((row) => [row.ticket_id, row.state]))).toEqual(
      new Map([
        [again.id, 'cancelled'],
        [unsubscribed.id, 'suppressed'],
      ]),
    );
    await s.close();
  });

  it('records only on confirmation, replaces an earlier answer, and a bad one starts the low-satisfaction journey', async () => {
    const s = await scenario();
    const journey = await s.t.http
      .post('/api/journeys')
      .auth(s.care.careOwner, { type: 'bearer' })
      .send({ name: 'Unhappy', trigger: { type: 'low_satisfaction', maxScore: 2 }, steps: [{ id: 'call', type: 'email', subject: 'Can we call you?', body: 'Hello, can we call you?', marketing: false }] });
    await s.t.http.post(`/api/journeys/${journey.body.id}/activate`).auth(s.care.careOwner, { type: 'bearer' });
    const address = `unhappy.${Date.now()}@example.com`;
    const ticket = await s.ticket(address);
    await s.setStatus(ticket.id, 'solved', after(1));
    await s.sendDueAt(after(26));
    const bad = linkIn(s.mailsTo(address)[0].text, 'bad');
    // Links point at CARELOOP_PUBLIC_URL, the one address customers reach Careloop at.
    expect(bad.startsWith(`${PUBLIC_URL}/api/surveys/`)).toBe(true);
    const link = new URL(bad);

    const opened = await s.t.http.get(`${link.pathname}?answer=bad`);
    expect(opened.status).toBe(200);
    expect(opened.text).toContain('Beanbox Coffee');
    expect(opened.text).toMatch(/value="bad" checked/);
    expect(opened.text).toContain('What went wrong?');
    const count = async () => (await s.db.query<{ n: number }[]>(`SELECT count(*)::int AS n FROM satisfaction_responses`))[0].n;
    expect(await count()).toBe(0);

    s.clock.set(after(27));
    const confirmed = await s.t.http.post(link.pathname).type('form').send({ answer: 'bad', comment: 'The box was crushed again', reason: 'not_solved' });
    expect(confirmed.status).toBe(200);
    expect(confirmed.text).toContain('Thank you');
    await reactions(s.t.app);
    const recorded = await s.db.query<{ score: number; comment: string; reason: string }[]>(`SELECT score, comment, reason FROM satisfaction_responses`);
    expect(recorded).toEqual([{ score: 1, comment: 'The box was crushed again', reason: 'not_solved' }]);
    const detail = await s.t.http.get(`/api/tickets/${ticket.id}`).auth(s.care.admin, { type: 'bearer' });
    expect(JSON.stringify(detail.body)).toContain('The box was crushed again');
    const report = (await s.t.http.get('/api/reports/satisfaction').auth(s.care.admin, { type: 'bearer' })).body as SatisfactionReportDto;
    expect([report.answers, report.bad, report.surveysSent, report.responseRate]).toEqual([1, 1, 1, 100]);
    expect(report.list[0]).toEqual(expect.objectContaining({ ticketId: ticket.id, good: false, comment: 'The box was crushed again', reason: 'not_solved' }));

    s.clock.set(after(28));
    await reactions(s.t.app);
    await s.t.app.get(JourneyEngine).runDue();
    await s.t.app.get(CareMailer).drain();
    expect(s.mailsTo(address).map((mail) => mail.subject)).toContain('Can we call you?');

    // The customer changes their mind: the same survey keeps one answer.
    await s.t.http.post(link.pathname).type('form').send({ answer: 'good', reason: 'slow' });
    expect(await s.db.query(`SELECT score, comment, reason FROM satisfaction_responses`)).toEqual([{ score: 5, comment: null, reason: null }]);
    await s.close();
  });

  it('refuses a tampered or expired link with a page that says so', async () => {
    const s = await scenario();
    const address = `late.${Date.now()}@example.com`;
    const ticket = await s.ticket(address);
    await s.setStatus(ticket.id, 'solved', after(1));
    await s.sendDueAt(after(26));
    const link = new URL(linkIn(s.mailsTo(address)[0].text, 'good'));
    const token = link.pathname.split('/').pop() as string;
    const tampered = `${token.slice(0, -2)}${token.endsWith('AA') ? 'BB' : 'AA'}`;
    const refused = await s.t.http.get(`/api/surveys/${tampered}?answer=good`);
    expect(refused.status).toBe(404);
    expect(refused.text).toContain('This link is not valid');
    expect((await s.t.http.post(`/api/surveys/${tampered}`).type('form').send({ answer: 'good' })).status).toBe(404);
    s.clock.set(after(26 + 29 * 24));
    const expired = await s.t.http.post(link.pathname).type('form').send({ answer: 'good' });
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('This link has expired');
    expect(await s.db.query(`SELECT id FROM satisfaction_responses`)).toEqual([]);
    await s.close();
  });

  it('lets no one type a score for a customer, and only leads and admins void an answer', async () => {
    const s = await scenario();
    const agent = await signInAs(s.t, s.care.admin, 'agent');
    const lead = await signInAs(s.t, s.care.admin, 'lead');
    const address = `voided.${Date.now()}@example.com`;
    const ticket = await s.ticket(address);
    const typed = await s.t.http.post(`/api/customers/${ticket.customerId}/satisfaction`).auth(agent.token, { type: 'bearer' }).send({ score: 1, comment: 'typed by an agent' });
    expect([403, 404]).toContain(typed.status);
    await s.setStatus(ticket.id, 'solved', after(1));
    await s.sendDueAt(after(26));
    const link = new URL(linkIn(s.mailsTo(address)[0].text, 'bad'));
    await s.t.http.post(link.pathname).type('form').send({ answer: 'bad', comment: 'test answer' });
    const [{ id }] = await s.db.query<{ id: string }[]>(`SELECT id FROM satisfaction_responses`);
    expect((await s.t.http.post(`/api/surveys/answers/${id}/void`).auth(agent.token, { type: 'bearer' }).send({ reason: 'I do not like it' })).status).toBe(403);
    const noReason = await s.t.http.post(`/api/surveys/answers/${id}/void`).auth(lead.token, { type: 'bearer' }).send({});
    expect(noReason.status).toBe(400);
    expect(noReason.body.fields[0].field).toBe('reason');
    expect((await s.t.http.post(`/api/surveys/answers/${id}/void`).auth(lead.token, { type: 'bearer' }).send({ reason: 'Our own test order' })).status).toBe(204);
    const overview = (await s.t.http.get(`/api/customers/${ticket.customerId}/overview`).auth(s.care.admin, { type: 'bearer' })).body as Customer360Dto;
    expect(overview.satisfaction).toEqual([expect.objectContaining({ score: 1, comment: 'test answer', voidReason: 'Our own test order' })]);
    await s.close();
  });
});
