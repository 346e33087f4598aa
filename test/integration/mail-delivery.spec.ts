import { DataSource } from 'typeorm';
import type { TicketDetailDto, TicketPageDto } from '../../contracts/api';
import type { MailboxDto } from '../../contracts/mail';
import { startTestApp, type TestApp } from '../support/app';
import { connectMailbox, email, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

const CUSTOMER = 'maya@example.com';
/** Not a user of the SMTP server: it refuses the recipient with 550. */
const NOBODY = 'nobody@example.com';

describe('replies when the SMTP server says no, and mail after the reopen window', () => {
  let stack: MailStack;
  let t: TestApp;
  let admin: string;
  let mailbox: MailboxDto;
  const auth = { type: 'bearer' as const };
  const tickets = async () => ((await t.http.get('/api/tickets?limit=200').auth(admin, auth)).body as TicketPageDto).items;
  const detail = async (id: string) => (await t.http.get(`/api/tickets/${id}`).auth(admin, auth)).body as TicketDetailDto;
  const ticketFrom = async (from: string, subject: string) => {
    await stack.deliver(email({ from, subject, body: `${subject}.`, messageId: `${subject.replace(/\W+/g, '-')}.${Date.now()}@example.com` }), { from, to: [SUPPORT] });
    return waitFor(`a ticket "${subject}"`, async () => (await tickets()).find((ticket) => ticket.subject === subject));
  };
  const replyState = (ticketId: string, replyId: string) => async () => (await detail(ticketId)).messages.find((message) => message.id === replyId);

  beforeAll(async () => {
    stack = await startMailStack({ users: [{ address: SUPPORT, password: SUPPORT_PASSWORD }, { address: CUSTOMER, password: 'maya-pass' }] });
    t = await startTestApp({ env: { CARELOOP_IMAP_POLL_SECONDS: '2' } });
    admin = await t.login();
    mailbox = await connectMailbox(t, stack, admin);
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  it('marks a reply the server refuses for good as failed, in the server\'s words, without retrying', async () => {
    const ticket = await ticketFrom(NOBODY, 'Refused recipient');
    const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, auth).send({ body: 'This cannot arrive.' });
    expect(reply.status).toBe(201);
    const failed = await waitFor('the reply failed', async () => {
      const message = await replyState(ticket.id, reply.body.id)();
      return message?.deliveryState === 'failed' ? message : undefined;
    });
    expect(failed.deliveryError).toBe(`The SMTP server refused the message: 550 No such mailbox here: ${NOBODY}`);
    expect(failed.deliveryError).not.toContain('Retrying');
  });

  it('keeps a reply queued while the SMTP server is unreachable, says so, and sends it once the server is back', async () => {
    const ticket = await ticketFrom(CUSTOMER, 'Unreachable server');
    // Port 1: nothing listens there, and (below the ephemeral range) no client socket of this run can hold it either.
    const closedPort = 1;
    expect((await t.http.patch(`/api/mailboxes/${mailbox.id}`).auth(admin, auth).send({ smtpPort: closedPort })).status).toBe(200);
    const reply = await t.http.post(`/api/tickets/${ticket.id}/replies`).auth(admin, auth).send({ body: 'Sent after a retry.' });
    const waiting = await waitFor('the first attempt to fail', async () => {
      const message = await replyState(ticket.id, reply.body.id)();
      return message?.deliveryError ? message : undefined;
    });
    expect(waiting).toMatchObject({ deliveryState: 'queued', deliveryError: 'The SMTP server refused the connection. Check the host and port. Retrying.' });
    expect(await stack.listMessages(CUSTOMER)).toEqual([]);

    expect((await t.http.patch(`/api/mailboxes/${mailbox.id}`).auth(admin, auth).send({ smtpPort: stack.smtp.port })).status).toBe(200);
    const sent = await waitFor('the retry to send it', async () => {
      const message = await replyState(ticket.id, reply.body.id)();
      return message?.deliveryState === 'sent' ? message : undefined;
    }, 60_000);
    expect(sent.deliveryError).toBeNull();
    const received = await stack.waitForMessages(CUSTOMER, 1, 15_000);
    expect(received.filter((message) => message.source.includes('Sent after a retry.'))).toHaveLength(1);
  }, 90_000);

  it('opens a follow-up ticket, linked both ways, for a reply to a ticket solved before the reopen window', async () => {
    const ticket = await ticketFrom(CUSTOMER, 'Grinder question');
    const [first] = (await detail(ticket.id)).messages;
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, auth).send({ status: 'solved' })).status).toBe(200);
    // Solved 20 days ago, with the default 14-day window.
    await t.app.get(DataSource).query("UPDATE tickets SET solved_at = now() - interval '20 days' WHERE id = $1", [ticket.id]);
    await stack.deliver(email({ from: CUSTOMER, subject: 'Re: Grinder question', body: 'It broke again.', messageId: `grinder-again.${Date.now()}@example.com`, inReplyTo: first.messageId ?? undefined }), {
      from: CUSTOMER,
      to: [SUPPORT],
    });
    const followUp = await waitFor('the follow-up ticket', async () => (await tickets()).find((item) => item.subject === 'Re: Grinder question'));
    expect(followUp.id).not.toBe(ticket.id);
    expect((await detail(followUp.id)).events.find((event) => event.type === 'ticket.created')?.data).toMatchObject({ relatedTicketNumber: ticket.number });
    const old = await detail(ticket.id);
    expect(old.status).toBe('solved');
    expect(old.messages).toHaveLength(1);
    expect(old.events.find((event) => event.type === 'ticket.followed_up')?.data).toMatchObject({ ticketNumber: followUp.number });
  });
});
