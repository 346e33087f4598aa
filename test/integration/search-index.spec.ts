import { DataSource } from 'typeorm';
import type { TicketPageDto } from '../../contracts/api';
import type { InitiativeDto, InitiativeTicketPageDto } from '../../contracts/care';
import { SearchIndexListener } from '../../server/src/tickets/search-index.listener';
import { TicketRepository } from '../../server/src/tickets/ticket.repository';
import { startTestApp, type TestApp } from '../support/app';
import { reactions } from '../support/events';
import { createTicket, indexForSearch, receiveTicket } from '../support/fixtures';

/**
 * Messages' words reach ticket search after the import commits (the search-index listener folds the queue the
 * messages trigger fills), exactly once, and on the ticket the message belongs to when it is folded.
 */
describe('search index', () => {
  let t: TestApp;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
  });

  afterAll(() => t.close());

  const search = async (words: string) => ((await t.http.get('/api/tickets').query({ q: words }).auth(admin, { type: 'bearer' })).body as TicketPageDto).items.map((item) => item.id);
  const vectorOf = async (ticketId: string) => (await t.app.get(DataSource).query<{ vector: string }[]>('SELECT search_vector::text AS vector FROM tickets WHERE id = $1', [ticketId]))[0].vector;
  const queued = async () => (await t.app.get(DataSource).query<{ n: number }[]>('SELECT count(*)::int AS n FROM search_index_queue'))[0].n;

  it("finds an arriving ticket by its message's words once its reactions have run", async () => {
    const ticket = await receiveTicket(t.app, { subject: 'Machine question', body: 'The portafilter handle wobbles' });
    await reactions(t.app);
    expect(await search('portafilter')).toEqual([ticket.id]);
    expect(await search('wobbling')).toEqual([ticket.id]);
    expect(await queued()).toBe(0);
  });

  it('adds a message once, however often the fold runs (a batch handed again after a failure)', async () => {
    const ticket = await createTicket(t.app, { subject: 'Grinder noise', body: 'The burr grinder squeaks loudly' });
    expect(await search('squeaks')).toEqual([]);
    expect(await indexForSearch(t.app)).toBe(1);
    const vector = await vectorOf(ticket.id);
    expect(vector).toContain("'squeak':");
    await t.app.get(SearchIndexListener).handle();
    expect(await indexForSearch(t.app)).toBe(0);
    expect(await vectorOf(ticket.id)).toBe(vector);
    expect(await search('squeaks')).toEqual([ticket.id]);
  });

  it('puts the words of a message merged away meanwhile on the ticket it was merged into', async () => {
    const kept = await createTicket(t.app, { subject: 'Order late' });
    const duplicate = await createTicket(t.app, { subject: 'Order late again', body: 'The courier tracking shows zanzibar' });
    const tickets = t.app.get(TicketRepository);
    // A merge in progress, holding both tickets as TicketsService.merge does: the fold waits for it to end.
    let moveMessages!: () => void;
    const merging = tickets.transaction(async (manager) => {
      for (const id of [kept.id, duplicate.id].sort()) await tickets.findForUpdate(id, manager);
      await new Promise<void>((resolve) => (moveMessages = resolve));
      await tickets.moveIntoTicket(kept.id, [duplicate.id], manager);
    });
    const folding = indexForSearch(t.app);
    await new Promise((resolve) => setTimeout(resolve, 300));
    moveMessages();
    await merging;
    expect(await folding).toBe(2);
    expect(await search('zanzibar')).toEqual([kept.id]);
    expect(await vectorOf(duplicate.id)).not.toContain('zanzibar');
  });

  it("links an arriving ticket to a care initiative whose query matches its message's words, not only its subject", async () => {
    const initiative = (await t.http.post('/api/care/initiatives').auth(admin, { type: 'bearer' }).send({ title: 'Descaling guide', query: 'descaling' })).body as InitiativeDto;
    const ticket = await receiveTicket(t.app, { subject: 'Machine tastes odd', body: 'How often is descaling needed?' });
    await reactions(t.app);
    const linked = (await t.http.get(`/api/care/initiatives/${initiative.id}/tickets`).auth(admin, { type: 'bearer' })).body as InitiativeTicketPageDto;
    expect(linked.items.map((item) => item.id)).toEqual([ticket.id]);
  });
});
