import type { SavedViewDto } from '../../contracts/views';
import type { UserDto } from '../../contracts/api';
import { startTestApp, type TestApp } from '../support/app';

describe('role gaps are closed', () => {
  let t: TestApp;
  let admin: string;
  let agent: { user: UserDto; token: string };
  let careOwner: string;
  let lead: string;

  const as = (token: string) => ({
    get: (path: string) => t.http.get(path).auth(token, { type: 'bearer' }),
    post: (path: string, body: object) => t.http.post(path).auth(token, { type: 'bearer' }).send(body),
    patch: (path: string, body: object) => t.http.patch(path).auth(token, { type: 'bearer' }).send(body),
  });
  const createUser = async (email: string, role: string) => {
    const response = await as(admin).post('/api/users', { email, name: email.split('@')[0], role, password: 'first-password-1' });
    expect(response.status).toBe(201);
    return { user: response.body as UserDto, token: await t.login(email, 'first-password-1') };
  };

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    agent = await createUser('agnes@example.com', 'agent');
    careOwner = (await createUser('carl@example.com', 'care_owner')).token;
    lead = (await createUser('lea@example.com', 'lead')).token;
  });

  afterAll(() => t.close());

  describe('changing one’s own password', () => {
    it('is refused without the current password, or with a wrong one, and the old password keeps working', async () => {
      const without = await as(agent.token).patch(`/api/users/${agent.user.id}`, { password: 'taken-over-password' });
      expect(without.status).toBe(403);
      expect(without.body.fields).toEqual([{ field: 'currentPassword', message: 'is missing or wrong' }]);
      const wrong = await as(agent.token).patch(`/api/users/${agent.user.id}`, { password: 'taken-over-password', currentPassword: 'a-guess-1234' });
      expect(wrong.status).toBe(403);
      await expect(t.login('agnes@example.com', 'first-password-1')).resolves.toEqual(expect.any(String));
    });

    it('works with the current password', async () => {
      const changed = await as(agent.token).patch(`/api/users/${agent.user.id}`, { password: 'second-password-2', currentPassword: 'first-password-1' });
      expect(changed.status).toBe(200);
      await expect(t.login('agnes@example.com', 'first-password-1')).rejects.toThrow('401');
      agent.token = await t.login('agnes@example.com', 'second-password-2');
    });

    it("cannot touch another user's password, current one or not; an admin resets it without", async () => {
      const other = await createUser('otis@example.com', 'agent');
      expect((await as(agent.token).patch(`/api/users/${other.user.id}`, { password: 'stolen-password-1', currentPassword: 'first-password-1' })).status).toBe(403);
      expect((await as(admin).patch(`/api/users/${other.user.id}`, { password: 'reset-password-1' })).status).toBe(200);
      await expect(t.login('otis@example.com', 'reset-password-1')).resolves.toEqual(expect.any(String));
    });
  });

  describe('shared views', () => {
    const view = { name: 'Refunds', filter: { status: ['open'] } };

    it('are refused to agents and care owners, who keep personal views', async () => {
      for (const token of [agent.token, careOwner]) {
        expect((await as(token).post('/api/views', { ...view, shared: true })).status).toBe(403);
        const personal = await as(token).post('/api/views', view);
        expect(personal.status).toBe(201);
        expect((await as(token).patch(`/api/views/${(personal.body as SavedViewDto).id}`, { shared: true })).status).toBe(403);
      }
      const everyone = (await as(lead).get('/api/views')).body as SavedViewDto[];
      expect(everyone.filter((saved) => saved.shared)).toEqual([]);
    });

    it('are made by leads and admins', async () => {
      for (const token of [lead, admin]) expect((await as(token).post('/api/views', { ...view, shared: true })).status).toBe(201);
      expect(((await as(agent.token).get('/api/views')).body as SavedViewDto[]).filter((saved) => saved.shared)).toHaveLength(2);
    });
  });

  describe("a personal macro's add_tags", () => {
    it('takes only tag names POST /api/tags would take', async () => {
      for (const name of ['<b>vip</b>', '-leading-dash', 'x'.repeat(65)]) {
        const tags = await as(lead).post('/api/tags', { name });
        expect(tags.status).toBe(400);
        const macro = await as(agent.token).post('/api/macros', { name: `Tag ${name.slice(0, 10)}`, scope: 'personal', actions: [{ type: 'add_tags', tags: [name] }] });
        expect(macro.status).toBe(400);
        expect(macro.body.fields[0].field).toBe('actions.0.tags.0');
      }
      const fine = await as(agent.token).post('/api/macros', { name: 'Tag refund', scope: 'personal', actions: [{ type: 'add_tags', tags: ['Refund/Partial'] }] });
      expect(fine.status).toBe(201);
    });
  });
});
