import { simpleParser } from 'mailparser';
import type { InvitationDto, TeamDto, TicketDetailDto, TicketPageDto, UserDto } from '../../contracts/api';
import type { NotificationListDto } from '../../contracts/notifications';
import type { DomainEvent } from '../../server/src/common/domain-events';
import { NotificationsListener } from '../../server/src/notifications/notifications.listener';
import { reactions } from '../support/events';
import { startTestApp, type TestApp } from '../support/app';
import { createTicket } from '../support/fixtures';
import { connectMailbox, SUPPORT, SUPPORT_PASSWORD } from '../support/mail-fixtures';
import { startMailStack, type MailStack } from '../support/mail-stack';
import { waitFor } from '../support/wait';

/** People and teams, and who is told what: against real PostgreSQL and a real Dovecot/SMTP stack. */
describe('people, teams and notifications', () => {
  let t: TestApp;
  let stack: MailStack;
  let admin: string;
  let team: TeamDto;
  let ada: UserDto;
  let ben: UserDto;
  const PASSWORD = 'agent-password-1';
  const ADA = 'ada@careloop.test';
  const BEN = 'ben@careloop.test';
  const NEWCOMER = 'nora@careloop.test';

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object = {}) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
    put: (path: string, body: object) => t.http.put(path).auth(token, { type: 'bearer' }).send(body),
  });
  const createUser = async (email: string, name: string, teamIds: string[] = []) =>
    (await as(admin).post('/api/users', { email, name, role: 'agent', password: PASSWORD, teamIds })).body as UserDto;
  const notifications = async (token: string) => (await as(token).get('/api/notifications')).body as NotificationListDto;
  /** Waits until the reactions to everything so far (notifications, routing) are recorded. */
  const settled = () => reactions(t.app);

  beforeAll(async () => {
    stack = await startMailStack({
      users: [
        { address: SUPPORT, password: SUPPORT_PASSWORD },
        { address: ADA, password: 'ada-mail-pass' },
        { address: NEWCOMER, password: 'nora-mail-pass' },
      ],
    });
    t = await startTestApp();
    admin = await t.login();
    team = (await as(admin).post('/api/teams', { name: 'Billing' })).body as TeamDto;
    ada = await createUser(ADA, 'Ada Agent', [team.id]);
    ben = await createUser(BEN, 'Ben Agent', [team.id]);
  });

  afterAll(async () => {
    await t?.close();
    await stack?.stop();
  });

  describe('invitations', () => {
    it('hands out a copyable link while no mailbox can send, and the link sets the password once', async () => {
      const invited = await as(admin).post('/api/invitations', { email: 'Early@Careloop.test', name: 'Early Bird', role: 'agent', teamIds: [team.id] });
      expect(invited.status).toBe(201);
      const invitation = invited.body as InvitationDto;
      expect(invitation).toMatchObject({ emailed: false, user: { email: 'early@careloop.test', status: 'invited', teamIds: [team.id] } });
      expect(invitation.emailError).toMatch(/No mailbox can send/);
      const token = new URL(invitation.link.replace('#/welcome?', '?')).searchParams.get('token') ?? '';

      // No password yet: signing in is impossible, the link shows who it is for.
      expect((await t.http.post('/api/auth/login').send({ email: 'early@careloop.test', password: 'anything-at-all' })).status).toBe(401);
      expect((await t.http.get(`/api/auth/invitation?token=${encodeURIComponent(token)}`)).body).toMatchObject({ email: 'early@careloop.test', name: 'Early Bird' });

      expect((await t.http.post('/api/auth/invitation').send({ token, password: 'short' })).status).toBe(400);
      const accepted = await t.http.post('/api/auth/invitation').send({ token, password: 'early-password-1' });
      expect(accepted.status).toBe(200);
      expect(accepted.body.user).toMatchObject({ email: 'early@careloop.test', status: 'active' });
      expect((await t.http.post('/api/auth/invitation').send({ token, password: 'another-password-1' })).status).toBe(410);
      await t.login('early@careloop.test', 'early-password-1');
    });

    it('emails the invitation from the system mailbox; a resent one retires the first link', async () => {
      await connectMailbox(t, stack, admin);
      const first = (await as(admin).post('/api/invitations', { email: NEWCOMER, name: 'Nora New' })).body as InvitationDto;
      expect(first).toMatchObject({ emailed: true, emailedFrom: SUPPORT, emailError: null });
      const second = (await as(admin).post(`/api/invitations/${first.user.id}/resend`)).body as InvitationDto;
      expect(second.emailed).toBe(true);

      const [, latest] = await stack.waitForMessages(NEWCOMER, 2);
      const mail = await simpleParser(latest.source);
      expect(mail.subject).toBe('Admin invited you to Careloop');
      const link = /http\S+#\/welcome\?token=\S+/.exec(mail.text ?? '')?.[0];
      expect(link).toBe(second.link);
      const tokenOf = (url: string) => new URL(url.replace('#/welcome?', '?')).searchParams.get('token') ?? '';
      expect((await t.http.get(`/api/auth/invitation?token=${encodeURIComponent(tokenOf(first.link))}`)).status).toBe(410);
      expect((await t.http.post('/api/auth/invitation').send({ token: tokenOf(link ?? ''), password: 'nora-password-1' })).status).toBe(200);
    });

    it('is for admins only and refuses an address already on the team', async () => {
      const agent = await t.login(ADA, PASSWORD);
      expect((await as(agent).post('/api/invitations', { email: 'x@careloop.test', name: 'X' })).status).toBe(403);
      expect((await as(admin).post('/api/invitations', { email: ADA, name: 'Ada again' })).status).toBe(409);
      const bad = await as(admin).post('/api/invitations', { name: 'No address' });
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body)).toContain('email');
    });
  });

  describe('own profile', () => {
    it('changes their own password only with the current one, and keeps name, signature and time zone', async () => {
      const token = await t.login(BEN, PASSWORD);
      const missing = await as(token).patch(`/api/users/${ben.id}`, { password: 'ben-password-2' });
      expect(missing.status).toBe(403);
      expect(JSON.stringify(missing.body)).toContain('currentPassword');
      expect((await as(token).patch(`/api/users/${ben.id}`, { password: 'ben-password-2', currentPassword: 'wrong-password' })).status).toBe(403);

      const profile = await as(token).patch(`/api/users/${ben.id}`, { name: 'Ben B.', signature: '— Ben, Billing', timeZone: 'Europe/Berlin' });
      expect(profile.body).toMatchObject({ name: 'Ben B.', signature: '— Ben, Billing', timeZone: 'Europe/Berlin' });
      expect((await as(token).patch(`/api/users/${ben.id}`, { role: 'admin' })).status).toBe(403);
      expect((await as(token).patch(`/api/users/${ben.id}`, { timeZone: 'Mars/Olympus' })).status).toBe(400);

      const changed = await as(token).patch(`/api/users/${ben.id}`, { password: 'ben-password-2', currentPassword: PASSWORD });
      expect(changed.status).toBe(200);
      // A new password ends every session, this one too.
      expect((await as(token).get('/api/auth/me')).status).toBe(401);
      await as(admin).patch(`/api/users/${ben.id}`, { password: PASSWORD, name: 'Ben Agent' });
    });
  });

  describe('notifications', () => {
    it('tells the assignee, not someone who takes a ticket themselves', async () => {
      const ticket = await createTicket(t.app, { subject: 'Refund twice', teamId: team.id });
      const benToken = await t.login(BEN, PASSWORD);
      const adaToken = await t.login(ADA, PASSWORD);
      expect((await as(benToken).patch(`/api/tickets/${ticket.id}`, { assigneeId: ada.id })).status).toBe(200);
      await settled();
      const forAda = (await notifications(adaToken)).items.filter((item) => item.ticketId === ticket.id);
      expect(forAda).toMatchObject([{ kind: 'assigned', actorName: 'Ben Agent', ticketSubject: 'Refund twice', ticketNumber: ticket.number, readAt: null }]);

      await as(benToken).patch(`/api/tickets/${ticket.id}`, { assigneeId: ben.id });
      await settled();
      expect((await notifications(benToken)).items.filter((item) => item.ticketId === ticket.id)).toEqual([]);
    });

    it('tells the people a note mentions, once, and only if they can see the ticket', async () => {
      const secret = (await as(admin).post('/api/teams', { name: 'Fraud', isPrivate: true, memberIds: [ben.id] })).body as TeamDto;
      const ticket = await createTicket(t.app, { subject: 'Card stolen', teamId: secret.id });
      const benToken = await t.login(BEN, PASSWORD);
      const adaToken = await t.login(ADA, PASSWORD);
      const before = (await notifications(adaToken)).unreadCount;

      const note = await as(benToken).post(`/api/tickets/${ticket.id}/notes`, { body: '@Ada Agent @Admin please look', mentionIds: [ada.id, ben.id] });
      expect(note.status).toBe(201);
      expect(note.body.mentionIds).toEqual([ada.id, ben.id]);
      await settled();
      // Ada is not in the private team: she is not told about a ticket she cannot open. Ben wrote it.
      expect((await notifications(adaToken)).unreadCount).toBe(before);
      expect((await notifications(benToken)).items.filter((item) => item.kind === 'mentioned')).toEqual([]);

      const open = await createTicket(t.app, { subject: 'Wrong size', teamId: team.id });
      const mention = await as(benToken).post(`/api/tickets/${open.id}/notes`, { body: '@Ada Agent can you check the size chart?', mentionIds: [ada.id] });
      await settled();
      const mentioned = (await notifications(adaToken)).items.filter((item) => item.ticketId === open.id);
      expect(mentioned).toMatchObject([{ kind: 'mentioned', actorName: 'Ben Agent', excerpt: '@Ada Agent can you check the size chart?' }]);

      // A redelivered event (the outbox after a crash) records nothing new.
      const redelivered: DomainEvent[] = [{ name: 'message.created', payload: { ticketId: open.id, messageId: (mention.body as { id: string }).id } }];
      await t.app.get(NotificationsListener).handle(redelivered);
      expect((await notifications(adaToken)).items.filter((item) => item.ticketId === open.id)).toHaveLength(1);

      const unknown = await as(benToken).post(`/api/tickets/${open.id}/notes`, { body: 'hi', mentionIds: ['00000000-0000-4000-8000-000000000000'] });
      expect(unknown.status).toBe(400);
      expect(JSON.stringify(unknown.body)).toContain('mentionIds');
    });

    it('marks read one or all, and respects what each person muted', async () => {
      const adaToken = await t.login(ADA, PASSWORD);
      const list = await notifications(adaToken);
      expect(list.unreadCount).toBeGreaterThan(0);
      expect((await as(adaToken).post('/api/notifications/read', { ids: [list.items[0].id] })).status).toBe(204);
      expect((await notifications(adaToken)).unreadCount).toBe(list.unreadCount - 1);
      expect((await as(adaToken).post('/api/notifications/read', { ids: 'all' })).status).toBe(204);
      expect((await notifications(adaToken)).unreadCount).toBe(0);

      const saved = await as(adaToken).put('/api/notifications/preferences', { muted: ['assigned'], emailWhenAway: [], desktop: true });
      expect(saved.body).toEqual({ muted: ['assigned'], emailWhenAway: [], desktop: true });
      expect((await as(adaToken).put('/api/notifications/preferences', { muted: ['nonsense'], emailWhenAway: [], desktop: true })).status).toBe(400);
      const ticket = await createTicket(t.app, { subject: 'Muted one', teamId: team.id });
      await as(admin).patch(`/api/tickets/${ticket.id}`, { assigneeId: ada.id });
      await settled();
      expect((await notifications(adaToken)).unreadCount).toBe(0);
      await as(adaToken).put('/api/notifications/preferences', { muted: [], emailWhenAway: [], desktop: false });
    });

    it('emails a mention to someone away who asked for it', async () => {
      const adaToken = await t.login(ADA, PASSWORD);
      await as(adaToken).put('/api/notifications/preferences', { muted: [], emailWhenAway: ['mentioned'], desktop: false });
      await as(adaToken).patch(`/api/users/${ada.id}`, { availability: 'away' });
      const ticket = await createTicket(t.app, { subject: 'Parcel lost', teamId: team.id });
      const benToken = await t.login(BEN, PASSWORD);
      await as(benToken).post(`/api/tickets/${ticket.id}/notes`, { body: '@Ada Agent the carrier answered', mentionIds: [ada.id] });
      const [message] = await stack.waitForMessages(ADA, 1, 20_000);
      const mail = await simpleParser(message.source);
      expect(mail.subject).toBe(`You were mentioned on #${ticket.number} Parcel lost`);
      expect(mail.text).toContain(`Ben Agent mentioned you in an internal note on #${ticket.number} Parcel lost.`);
      expect(mail.text).toContain(`/#/inbox/open/${ticket.id}`);
      await as(adaToken).patch(`/api/users/${ada.id}`, { availability: 'available' });
    });
  });

  describe('deactivating someone', () => {
    it('returns their open tickets to their team queue and ends their sessions', async () => {
      const leaving = await createUser('leaving@careloop.test', 'Lea Leaving', [team.id]);
      await as(admin).patch(`/api/users/${leaving.id}`, { availability: 'available' });
      // Nobody else in the team can take tickets now, so they wait in its queue.
      for (const other of [ada, ben]) await as(admin).patch(`/api/users/${other.id}`, { availability: 'offline' });
      const token = await t.login('leaving@careloop.test', PASSWORD);
      const open = await createTicket(t.app, { subject: 'Still open', teamId: team.id, assigneeId: leaving.id, status: 'open' });
      const solved = await createTicket(t.app, { subject: 'Done already', teamId: team.id, assigneeId: leaving.id, status: 'solved' });
      expect((await as(token).get('/api/auth/me')).status).toBe(200);

      const response = await as(admin).patch(`/api/users/${leaving.id}`, { isActive: false });
      expect(response.body).toMatchObject({ isActive: false, status: 'deactivated' });
      expect((await as(token).get('/api/auth/me')).status).toBe(401);
      expect((await t.http.post('/api/auth/login').send({ email: 'leaving@careloop.test', password: PASSWORD })).status).toBe(401);

      const detail = await waitFor('the ticket to leave the deactivated agent', async () => {
        const ticket = (await as(admin).get(`/api/tickets/${open.id}`)).body as TicketDetailDto;
        return ticket.assigneeId === null ? ticket : undefined;
      });
      expect(detail.teamId).toBe(team.id);
      expect(detail.events.find((event) => event.type === 'queue.requeued')?.data).toMatchObject({ previousAssigneeId: leaving.id });
      const unassigned = (await as(admin).get(`/api/tickets?assignee=none&team=${team.id}&limit=200`)).body as TicketPageDto;
      expect(unassigned.items.map((item) => item.id)).toContain(open.id);
      // A solved ticket stays theirs: it is history, not work.
      expect(((await as(admin).get(`/api/tickets/${solved.id}`)).body as TicketDetailDto).assigneeId).toBe(leaving.id);

      // When an agent of the team is back, the queue drains to them.
      await as(admin).patch(`/api/users/${ada.id}`, { availability: 'available' });
      await waitFor('the queued ticket to reach Ada', async () => ((await as(admin).get(`/api/tickets/${open.id}`)).body as TicketDetailDto).assigneeId === ada.id);
      await as(admin).patch(`/api/users/${ben.id}`, { availability: 'available' });
    });

    it('cannot be done to oneself', async () => {
      const me = (await as(admin).get('/api/auth/me')).body as UserDto;
      const response = await as(admin).patch(`/api/users/${me.id}`, { isActive: false });
      expect(response.status).toBe(400);
      expect(JSON.stringify(response.body)).toContain('isActive');
    });
  });
});
