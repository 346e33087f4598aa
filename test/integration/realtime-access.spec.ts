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

  /** Opens the ticket on each socket and waits until the last one's presence lists them all. */
  const viewTogether = async (ticketId: string, sockets: { socket: ClientSocket; userId: string }[]) => {
    const everyone = sockets.map(({ userId }) => userId).sort();
    const listed = nextEvent(sockets[sockets.length - 1].socket, 'ticket.presence', (presence) => presence.ticketId === ticketId && presence.viewers.map((viewer) => viewer.userId).sort().join() === everyone.join());
    for (const { socket } of sockets) socket.emit('ticket.view', { ticketId });
    await listed;
  };
  /** Presence pushes about one ticket that reach a socket from now on. */
  const recordPresence = (socket: ClientSocket, ticketId: string) => {
    const received: string[][] = [];
    socket.on('ticket.presence', (presence) => {
      if (presence.ticketId === ticketId) received.push(presence.viewers.map((viewer) => viewer.name));
    });
    return received;
  };

  it('an outsider with the ticket open when it moves into a private team leaves its room: the view closes, and they hear no presence or typing from it', async () => {
    const ticket = await receiveTicket(t.app, { subject: 'Two logins at once' });
    await reactions(t.app);
    const [memberSocket, outsiderSocket] = await Promise.all([connect(member.token), connect(outsider.token)]);
    await viewTogether(ticket.id, [
      { socket: outsiderSocket, userId: outsider.user.id },
      { socket: memberSocket, userId: member.user.id },
    ]);

    const removed = nextEvent(outsiderSocket, 'ticket.hidden', ({ ticketId }) => ticketId === ticket.id);
    const memberSeesOnlyThemselves = nextEvent(memberSocket, 'ticket.presence', (presence) => presence.ticketId === ticket.id && presence.viewers.map((viewer) => viewer.userId).join() === member.user.id);
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId: security.id })).status).toBe(200);
    await Promise.all([removed, memberSeesOnlyThemselves]);

    // The member types; the outsider's heartbeat view and typing are refused, not answered.
    const outsiderPresence = recordPresence(outsiderSocket, ticket.id);
    const memberPresence = recordPresence(memberSocket, ticket.id);
    const typing = nextEvent(memberSocket, 'ticket.presence', (presence) => presence.ticketId === ticket.id && presence.viewers[0]?.typing === 'reply');
    memberSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'reply', active: true });
    await typing;
    outsiderSocket.emit('ticket.view', { ticketId: ticket.id });
    outsiderSocket.emit('ticket.typing', { ticketId: ticket.id, mode: 'note', active: true });
    // The member's own heartbeat is answered after whatever the outsider's messages caused.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const heartbeat = nextEvent(memberSocket, 'ticket.presence', (presence) => presence.ticketId === ticket.id);
    memberSocket.emit('ticket.view', { ticketId: ticket.id });
    expect((await heartbeat).viewers.map((viewer) => viewer.name)).toEqual(['Mira Member']);
    expect(outsiderPresence).toEqual([]);
    expect(memberPresence.flat()).not.toContain('Otto Outsider');
  });

  it('a team turned private takes its tickets out of outsiders\' lists and open views, live and on catch-up', async () => {
    const billing = await t.http.post('/api/teams').auth(admin, { type: 'bearer' }).send({ name: 'Billing', memberIds: [member.user.id] });
    expect(billing.status).toBe(201);
    const teamId = (billing.body as TeamDto).id;
    const ticket = await receiveTicket(t.app, { subject: 'Charged twice', body: 'My card was charged twice' });
    await reactions(t.app);
    expect((await t.http.patch(`/api/tickets/${ticket.id}`).auth(admin, { type: 'bearer' }).send({ teamId })).status).toBe(200);
    const [memberSocket, outsiderSocket] = await Promise.all([connect(member.token), connect(outsider.token)]);
    const { latest: since } = await outsiderSocket.emitWithAck('sync', { since: null });
    await viewTogether(ticket.id, [
      { socket: outsiderSocket, userId: outsider.user.id },
      { socket: memberSocket, userId: member.user.id },
    ]);
    const memberReceived = recordLogged(memberSocket);

    const removed = nextEvent(outsiderSocket, 'team.hidden', (payload) => payload.teamId === teamId, 5000);
    const memberSeesOnlyThemselves = nextEvent(memberSocket, 'ticket.presence', (presence) => presence.ticketId === ticket.id && presence.viewers.map((viewer) => viewer.userId).join() === member.user.id, 5000);
    expect((await t.http.patch(`/api/teams/${teamId}`).auth(admin, { type: 'bearer' }).send({ isPrivate: true })).status).toBe(200);
    await Promise.all([removed, memberSeesOnlyThemselves]);

    // A note afterwards reaches the member only; the outsider's catch-up has the removal and nothing of the ticket.
    const outsiderReceived = recordLogged(outsiderSocket);
    const memberNote = nextEvent(memberSocket, 'message.created', ({ ticketId }) => ticketId === ticket.id);
    expect((await t.http.post(`/api/tickets/${ticket.id}/notes`).auth(admin, { type: 'bearer' }).send({ body: 'Refund on its way' })).status).toBe(201);
    await memberNote;
    const barrier = nextEvent(outsiderSocket, 'ticket.created', ({ ticket: pushed }) => pushed.subject === 'A question about gift cards', 5000);
    await receiveTicket(t.app, { subject: 'A question about gift cards' });
    await barrier;
    expect(outsiderReceived.filter((event) => event.ticketId === ticket.id)).toEqual([]);
    expect(memberReceived.map((event) => event.name)).not.toContain('team.hidden');
    const replayed = await replay(outsiderSocket, since);
    expect(replayed.filter((event) => event.name === 'team.hidden').map((event) => event.payload)).toEqual([expect.objectContaining({ teamId })]);
    expect(namesAbout(replayed, ticket.id)).toEqual([]);
    expect((await t.http.get(`/api/tickets/${ticket.id}`).auth(outsider.token, { type: 'bearer' })).status).toBe(404);
  });
});
