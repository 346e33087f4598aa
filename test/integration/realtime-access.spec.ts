import type { TeamDto, UserDto } from '../../contracts/api';
import type { ReplayedEvent } from '../../contracts/events';
import { startTestApp, type TestApp } from '../support/app';
import { receiveTicket } from '../support/fixtures';
import { reactions } from '../support/events';
import { connectSocket, nextEvent, recordLogged, type ClientSocket } from '../support/sockets';

/** What a replayed event is about, and whether it carries the ticket's content. */
const aboutTicket = (event: ReplayedEvent) => ('ticket' in event.payload ? event.payload.ticket.id : 'ticketId' in event.payload ? event.payload.ticketId : null);

describe('live pushes and catch-up follow who may read the ticket now', () => {
  let t: TestApp;
  let admin: string;
  let member: { user: UserDto; token: string };
  let outsider: { user: UserDto; token: string };
  let security: TeamDto;
  const openSockets: ClientSocket[] = [];
  const connect = (token: string) => connectSocket(t.url, { auth: { token } }, openSockets);

  const createAgent = async (name: string, email: string) => {
    const response = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name, role: 'agent', password: 'agent-password-1' });
    expect(response.status).toBe(201);
    return { user: response.body as UserDto, token: await t.login(email, 'agent-password-1') };
  };
  const replay = async (socket: ClientSocket, since: number) => (await socket.emitWithAck('sync', { since })).events.filter((event) => event.payload.seq > since);
  const namesAbout = (events: ReplayedEvent[], ticketId: string) => events.filter((event) => aboutTicket(event) === ticketId).map((event) => event.name);

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    member = await createAgent('Mira Member', 'mira@example.com');
    outsider = await createAgent('Otto Outsider', 'otto@example.com');
    const team = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Security', isPrivate: true, memberIds: [member.user.id] });
    expect(team.status).toBe(201);
    security = team.body as TeamDto;
    const rule = await t.http
      .post('/api/routing/rules')
      .auth(admin, { type: 'bearer' })
      .send({ name: 'Breaches to Security', conditions: [{ field: 'subject', operator: 'contains', value: 'breach' }], actions: [{ type: 'set_team', teamId: security.id }] });
    expect(rule.status).toBe(201);
  });

  afterEach(() => {
    for (const socket of openSockets.splice(0)) socket.disconnect();
  });

  afterAll(() => t.close());

  it('a ticket a routing rule puts into a private team reaches its members live and on catch-up, and never an outsider', async () => {
    const [memberSocket, outsiderSocket] = await Promise.all([connect(member.token), connect(outsider.token)]);
    const { latest: since } = await outsiderSocket.emitWithAck('sync', { since: null });
    const outsiderReceived = recordLogged(outsiderSocket);

    const memberGot = nextEvent(memberSocket, 'ticket.created', ({ ticket }) => ticket.subject === 'Data breach on my account', 5000);
    const secret = await receiveTicket(t.app, { subject: 'Data breach on my account', body: 'Someone logged in from abroad', from: 'victim@example.com' });
    expect((await memberGot).ticket).toMatchObject({ id: secret.id, teamId: security.id });
    await reactions(t.app);

    // A later public ticket reaches the outsider, so anything about the secret one would have come first.
    const barrier = nextEvent(outsiderSocket, 'ticket.created', ({ ticket }) => ticket.subject === 'Where is my parcel?', 5000);
    await receiveTicket(t.app, { subject: 'Where is my parcel?' });
    await barrier;
    // At most a removal, which carries the id alone (the outsider's list may hold it from a load before routing).
    const carriesContent = (name: string) => name !== 'ticket.hidden';
    expect(outsiderReceived.filter((event) => event.ticketId === secret.id).map((event) => event.name).filter(carriesContent)).toEqual([]);

    expect(namesAbout(await replay(outsiderSocket, since), secret.id).filter(carriesContent)).toEqual([]);
    expect(namesAbout(await replay(memberSocket, since), secret.id)).toContain('ticket.created');
  });

  it('a ticket moved into a private team later is removed from outsiders, live and on catch-up, and stays with members', async () => {
    const [memberSocket, outsiderSocket] = await Promise.all([connect(member.token), connect(outsider.token)]);
    const { latest: since } = await outsiderSocket.emitWithAck('sync', { since: null });

    const seen = nextEvent(outsiderSocket, 'ticket.created', ({ ticket: pushed }) => pushed.subject === 'Strange login email', 5000);
    const ticket = await receiveTicket(t.app, { subject: 'Strange login email', body: 'My password was changed' });
    expect((await seen).ticket.snippet).toBe('My password was changed');
    const firstNote = nextEvent(outsiderSocket, 'message.created', ({ ticketId }) => ticketId === ticket.id);
    expect((await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Asked for the login email' })).status).toBe(201);
    expect((await firstNote).message.bodyText).toBe('Asked for the login email');
    // Before the move, catch-up gives the outsider the ticket and its note, as it would anyone.
    expect(namesAbout(await replay(outsiderSocket, since), ticket.id)).toEqual(['ticket.created', 'message.created']);

    const outsiderReceived = recordLogged(outsiderSocket);
    const removed = nextEvent(outsiderSocket, 'ticket.hidden', ({ ticketId }) => ticketId === ticket.id);
    const memberUpdated = nextEvent(memberSocket, 'ticket.updated', (update) => update.ticket.id === ticket.id && update.ticket.teamId === security.id);
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId: security.id })).status).toBe(200);
    await Promise.all([removed, memberUpdated]);

    // A note afterwards: the member gets it, the outsider nothing (checked behind a barrier push).
    const memberNote = nextEvent(memberSocket, 'message.created', ({ ticketId }) => ticketId === ticket.id);
    expect((await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Escalated to security' })).status).toBe(201);
    await memberNote;
    const barrier = nextEvent(outsiderSocket, 'ticket.created', ({ ticket: pushed }) => pushed.subject === 'A question about sizes', 5000);
    await receiveTicket(t.app, { subject: 'A question about sizes' });
    await barrier;
    expect(outsiderReceived.filter((event) => event.ticketId === ticket.id).map((event) => event.name)).toEqual(['ticket.hidden']);

    // Catch-up now: the outsider gets only the removal, the member the whole story.
    expect(namesAbout(await replay(outsiderSocket, since), ticket.id)).toEqual(['ticket.hidden']);
    expect(namesAbout(await replay(memberSocket, since), ticket.id)).toEqual(['ticket.created', 'message.created', 'ticket.updated', 'message.created']);
    expect((await t.http.get(`/api/tickets/${ticket.id}`).auth(outsider.token, { type: 'bearer' })).status).toBe(404);
  });
});
