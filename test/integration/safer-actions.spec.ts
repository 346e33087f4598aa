import { DataSource } from 'typeorm';
import type { ApiErrorDto, BulkUpdateResultDto, MessageDto, TicketDetailDto } from '../../contracts/api';
import type { MacroDto } from '../../contracts/automation';
import { Mailbox } from '../../server/src/mail/mailbox.entity';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { TicketsService } from '../../server/src/tickets/tickets.service';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';

describe('safer actions', () => {
  let t: TestApp;
  let admin: string;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body?: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
  });
  const detail = async (ticketId: string) => (await as(admin).get(`/api/tickets/${ticketId}`)).body as TicketDetailDto;

  /** A ticket with a mailbox to reply from (the reply is queued; no SMTP server is needed for these checks). */
  async function replyableTicket(subject: string): Promise<string> {
    const ticket = await createTicket(t.app, { subject, from: 'maya@example.com' });
    const mailbox = await t.app.get(DataSource).getRepository(Mailbox).save({ name: 'Support', address: `support-${ticket.number}@careloop.test`, isActive: false });
    await t.app.get(TicketRepository).transaction((manager) => t.app.get(TicketRepository).updateTicket(ticket.id, { mailboxId: mailbox.id }, manager));
    return ticket.id;
  }

  async function customerWritesAgain(ticketId: string, body: string): Promise<void> {
    const repository = t.app.get(TicketRepository);
    await repository.transaction(async (manager) => {
      const ticket = await repository.findForUpdate(ticketId, manager);
      await t.app.get(TicketsService).appendMessage(ticket!, { direction: 'inbound', fromAddress: 'maya@example.com', bodyText: body }, manager);
    });
  }

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });

  afterAll(() => t.close());

  describe('bulk changes', () => {
    it('change 500 tickets in one request and one transaction: a ticket that cannot change stops them all', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 500; i++) ids.push((await createTicket(t.app, { subject: `Bulk ${i}`, from: 'bulk@example.com' })).id);
      const middle = ids[250];
      const others = ids.filter((id) => id !== middle);
      const tagged = await as(admin).post('/api/tickets/bulk', { ticketIds: others, changes: { addTags: ['shipping'] } });
      expect(tagged.status).toBe(200);
      expect((tagged.body as BulkUpdateResultDto).tickets).toHaveLength(499);
      await as(admin).patch('/api/tags/settings', { requireTagToSolve: true }).expect(200);

      const refused = await as(admin).post('/api/tickets/bulk', { ticketIds: ids, changes: { status: 'solved' } });
      expect(refused.status).toBe(400);
      const { number } = (await detail(middle));
      expect((refused.body as ApiErrorDto).message).toContain(`Ticket #${number}`);
      const [counts] = await t.app.get(DataSource).query<{ solved: number }[]>(`SELECT count(*)::int AS solved FROM tickets WHERE id = ANY($1) AND status = 'solved'`, [ids]);
      expect(counts.solved).toBe(0);

      await as(admin).patch(`/api/tickets/${middle}`, { tags: ['shipping'] }).expect(200);
      const solved = await as(admin).post('/api/tickets/bulk', { ticketIds: ids, changes: { status: 'solved' } });
      expect(solved.status).toBe(200);
      expect((solved.body as BulkUpdateResultDto).tickets.every((ticket) => ticket.status === 'solved')).toBe(true);
      await as(admin).patch('/api/tags/settings', { requireTagToSolve: false }).expect(200);
    }, 180_000);

    it('names the field when the selection is bad', async () => {
      const response = await as(admin).post('/api/tickets/bulk', { ticketIds: ['not-a-uuid'], changes: { status: 'solved' } });
      expect(response.status).toBe(400);
      expect((response.body as ApiErrorDto).fields?.[0].field).toBe('ticketIds.0');
    });
  });

  describe('replies written without knowing a newer message', () => {
    it('are refused with the newer messages, and go out once the agent confirms', async () => {
      const ticketId = await replyableTicket('Where is my box?');
      const seen = (await detail(ticketId)).messages.at(-1)!;
      await customerWritesAgain(ticketId, 'Never mind, it arrived!');

      const refused = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Sending a new one.', afterMessageId: seen.id });
      expect(refused.status).toBe(409);
      const body = refused.body as ApiErrorDto;
      expect(body.error).toBe('reply_conflict');
      expect(body.newerMessages?.map((message) => message.bodyText)).toEqual(['Never mind, it arrived!']);
      expect((await detail(ticketId)).messages.filter((message) => message.direction === 'outbound')).toHaveLength(0);

      const confirmed = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Glad it arrived!', afterMessageId: seen.id, confirmNewer: true });
      expect(confirmed.status).toBe(201);

      // A second agent who wrote after the customer's message but before that reply is refused too.
      const newest = (await detail(ticketId)).messages.find((message) => message.bodyText === 'Never mind, it arrived!')!;
      const second = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Glad to hear!', afterMessageId: newest.id });
      expect(second.status).toBe(409);
      expect((second.body as ApiErrorDto).newerMessages?.map((message: MessageDto) => message.bodyText)).toEqual(['Glad it arrived!']);

      const current = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'One more thing.', afterMessageId: (confirmed.body as MessageDto).id });
      expect(current.status).toBe(201);
    });

    it('say which field is wrong when the message is not on the ticket', async () => {
      const ticketId = await replyableTicket('Other');
      const response = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Hi', afterMessageId: '00000000-0000-4000-8000-000000000000' });
      expect(response.status).toBe(400);
      expect((response.body as ApiErrorDto).fields?.[0].field).toBe('afterMessageId');
    });
  });

  describe("a macro's actions", () => {
    it('apply with the reply, in the same request, and not before', async () => {
      const macro = (await as(admin).post('/api/macros', {
        name: 'Refund sent',
        body: 'Your refund is on its way.',
        actions: [{ type: 'set_status', status: 'pending' }, { type: 'add_tags', tags: ['refund'] }],
      })).body as MacroDto;
      const ticketId = await replyableTicket('Refund please');
      const preview = await as(admin).post(`/api/macros/${macro.id}/preview`, { ticketId });
      expect(preview.status).toBe(200);
      expect((await detail(ticketId))).toMatchObject({ status: 'new', tags: [] });

      const reply = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Your refund is on its way.', macroIds: [macro.id] });
      expect(reply.status).toBe(201);
      const after = await detail(ticketId);
      expect(after).toMatchObject({ status: 'pending', tags: ['refund'] });
      expect(after.events.map((event) => event.type)).toContain('macro.applied');
    });

    it('refuse an unknown macro and send nothing', async () => {
      const ticketId = await replyableTicket('Unknown macro');
      const reply = await as(admin).post(`/api/tickets/${ticketId}/replies`, { body: 'Hi', macroIds: ['00000000-0000-4000-8000-000000000000'] });
      expect(reply.status).toBe(400);
      expect((await detail(ticketId)).messages.filter((message) => message.direction === 'outbound')).toHaveLength(0);
    });
  });
});
