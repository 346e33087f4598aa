import { simpleParser } from 'mailparser';
import type { CustomerDto, TicketDetailDto, TicketPageDto, TicketSummaryDto } from '../../contracts/api';
import type { Customer360Dto } from '../../contracts/customers';
import type { JourneyDto } from '../../contracts/journeys';
import { CareMailer } from '../../server/src/journeys/care-mailer.service';
import { JourneyEngine } from '../../server/src/journeys/journey-engine.service';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack, type StoredMessage } from '../support/mail-stack';
import { waitFor } from '../support/wait';
import { ManualClock } from './sla-harness';
import { subscriptionEvent, switchOnPreset, type CareWorkspace } from './journeys-harness';

const KIM = 'kim@customer.test';
const LOU = 'lou@customer.test';
const START = new Date('2031-05-05T10:00:00.000Z');
const DAY = 86_400_000;
/** Where customers reach this Careloop (CARELOOP_PUBLIC_URL): not the address the test talks to. */
const PUBLIC_URL = 'http://help.careloop.test';

describe('care emails and the shared inbox (Dovecot + SMTP on loopback)', () => {
  let stack: MailStack;
  let t: TestApp;
  let care: CareWorkspace;
  const clock = new ManualClock(START);

  const tickets = async () => ((await t.http.get('/api/tickets?limit=200').auth(care.admin, { type: 'bearer' })).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(care.admin, { type: 'bearer' })).body as TicketDetailDto;
  const ticketWithSubject = (subject: string) => waitFor(`a ticket "${subject}"`, async () => (await tickets()).find((ticket: TicketSummaryDto) => ticket.subject === subject), 20_000);
  const header = (message: StoredMessage, name: string) => new RegExp(`^${name}:\\s*(.+)$`, 'im').exec(message.source.toString())?.[1].trim() ?? null;

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: KIM, password: 'kim-pass' },
        { address: LOU, password: 'lou-pass' },
      ],
    });
    // Workers on: ingestion, the due pass and the sender run as in production, on the test's clock.
    t = await startTestApp({ clock, env: { CARELOOP_IMAP_POLL_SECONDS: '2', CARELOOP_PUBLIC_URL: PUBLIC_URL } });
    const admin = await t.login();
    await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email: 'carla@careloop.test', name: 'Carla Care', role: 'care_owner', password: 'password-12345' });
    const careOwner = await t.login('carla@careloop.test', 'password-12345');
    const mailbox = await connectMailbox(t, stack, admin);
    const secret = (await t.http.post('/api/subscriptions/webhook-secret').auth(careOwner, { type: 'bearer' })).body.secret as string;
    care = { admin, careOwner, careOwnerId: '', mailbox, webhookSecret: secret };
  }, 60_000);

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it("turns a customer's answer to a care email into a ticket in the shared inbox, with the journey on its timeline", async () => {
    const journey = await switchOnPreset(t, care, 'day_30_check_in');
    await subscriptionEvent(t, care, { id: 'kim-created', type: 'created', occurredAt: START.toISOString(), customer: { email: KIM, name: 'Kim Park' } });
    clock.set(new Date(START.getTime() + 30 * DAY).toISOString());
    // A month later the sessions have expired.
    care.admin = await t.login();
    care.careOwner = await t.login('carla@careloop.test', 'password-12345');
    await t.app.get(JourneyEngine).runDue();
    await t.app.get(CareMailer).drain();

    const [checkIn] = await stack.waitForMessages(KIM, 1, 15_000);
    expect(checkIn.subject).toBe('One month in, Kim');
    expect(header(checkIn, 'Auto-Submitted')).toBe('auto-generated');
    expect(header(checkIn, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    // The unsubscribe link, in the header and in the text, starts at CARELOOP_PUBLIC_URL and opens Kim's confirmation page.
    const unsubscribe = /^<(.+)>$/.exec(header(checkIn, 'List-Unsubscribe') ?? '')?.[1] ?? '';
    expect(unsubscribe).toMatch(new RegExp(`^${PUBLIC_URL}/api/care/unsubscribe/[\\w-]+\\.[\\w-]+$`));
    expect((await simpleParser(checkIn.source)).text).toContain(`Unsubscribe: ${unsubscribe}`);
    const confirm = await t.http.get(new URL(unsubscribe).pathname);
    expect(confirm.status).toBe(200);
    expect(confirm.text).toContain(`Stop care emails to ${KIM}?`);

    const careMessageId = (checkIn.messageId ?? '').replace(/^<|>$/g, '');
    await stack.deliver(
      email({ from: `Kim Park <${KIM}>`, subject: `Re: ${checkIn.subject}`, body: 'All good, but could the next box come a week later?', messageId: 'kim.reply.1@customer.test', inReplyTo: careMessageId, references: [careMessageId] }),
      { from: KIM, to: [SUPPORT] },
    );
    const ticket = await ticketWithSubject('Re: One month in, Kim');
    expect(ticket.customer?.email).toBe(KIM);
    const timeline = await waitFor('the journey on the ticket timeline', async () => (await detail(ticket.id)).events.find((event) => event.type === 'journey.reply'));
    expect(timeline.data).toMatchObject({ journeyId: journey.id, journeyName: 'Day 30 check-in', subject: 'One month in, Kim' });

    const figures = (await t.http.get(`/api/journeys/${journey.id}`).auth(care.careOwner, { type: 'bearer' })).body as JourneyDto;
    expect(figures.figures).toMatchObject({ entered: 1, emailsSent: 1, replies: 1 });
    const [kim] = (await t.http.get('/api/customers').query({ q: KIM }).auth(care.admin, { type: 'bearer' })).body as CustomerDto[];
    const overview = (await t.http.get(`/api/customers/${kim.id}/overview`).auth(care.careOwner, { type: 'bearer' })).body as Customer360Dto;
    expect(overview.careTouches[0]).toMatchObject({ journeyName: 'Day 30 check-in', state: 'sent', replyTicketId: ticket.id });
  }, 60_000);

  it('acts on a new first-cycle ticket once the cycle-1 recovery preset is switched on, and threads the answer back into it', async () => {
    await switchOnPreset(t, care, 'cycle_1_recovery');
    await subscriptionEvent(t, care, { id: 'lou-created', type: 'created', occurredAt: clock.now().toISOString(), customer: { email: LOU, name: 'Lou Martin' } });

    await stack.deliver(email({ from: `Lou Martin <${LOU}>`, subject: 'My first box arrived broken', body: 'The bag split open in the box.', messageId: 'lou.1@customer.test' }), { from: LOU, to: [SUPPORT] });
    const complaint = await ticketWithSubject('My first box arrived broken');

    // The apology reaches Lou by itself: ingestion → ticket.created → enrollment → due pass → send job.
    const [apology] = await stack.waitForMessages(LOU, 1, 20_000);
    expect(apology.subject).toBe('Re: My first box arrived broken');
    expect(header(apology, 'In-Reply-To')).toBe('<lou.1@customer.test>');
    expect(header(apology, 'References')).toMatch(new RegExp(`careloop-ticket\\.${complaint.number}\\.[0-9a-f]{16}@`));
    const task = await waitFor('the task for the care owner', async () => (await tickets()).find((ticket) => ticket.subject === 'Confirm a replacement or credit note for Lou Martin'));
    expect(task.status).toBe('open');
    const events = (await detail(complaint.id)).events.map((event) => event.type);
    expect(events).toEqual(expect.arrayContaining(['journey.entered', 'journey.email_queued', 'journey.task_created']));

    const apologyId = (apology.messageId ?? '').replace(/^<|>$/g, '');
    const references = (header(apology, 'References') ?? '').match(/[^<>\s]+@[^<>\s]+/g) ?? [];
    await stack.deliver(
      email({ from: LOU, subject: `Re: ${apology.subject}`, body: 'Thanks, a replacement would be lovely.', messageId: 'lou.2@customer.test', inReplyTo: apologyId, references: [...references, apologyId] }),
      { from: LOU, to: [SUPPORT] },
    );
    await waitFor('the answer in the same ticket', async () => (await detail(complaint.id)).messages.some((message) => message.bodyText?.includes('a replacement would be lovely')), 20_000);
    expect((await tickets()).filter((ticket) => ticket.customer?.email === LOU)).toHaveLength(1);
  }, 60_000);
});
