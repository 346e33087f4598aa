import { DataSource } from 'typeorm';
import type { TagDto, TicketDetailDto } from '../../contracts/api';
import type { KeywordRuleDto, TagSettingsDto, TagSuggestionDto } from '../../contracts/care';
import { TagSuggestionsService } from '../../server/src/tags/suggestions/tag-suggestions.service';
import { startTestApp, type TestApp } from '../support/app';
import { waitFor } from '../support/wait';
import { arrive, signInAs } from './care-fixtures';

const TOPICS: Record<string, string[]> = {
  billing: ['invoice', 'charged twice', 'refund', 'payment failed', 'receipt', 'overcharged'],
  shipping: ['parcel', 'delivery', 'courier', 'tracking number', 'package', 'never arrived'],
  login: ['password', 'cannot log in', 'locked out', 'reset link', 'two-factor', 'sign-in'],
};

describe('tags: management, suggestions, the tag-to-solve setting', () => {
  let t: TestApp;
  let admin: string;
  let agent: { token: string };
  let lead: { token: string };
  let db: DataSource;

  beforeAll(async () => {
    t = await startTestApp();
    admin = await t.login();
    agent = await signInAs(t, admin, 'agent');
    lead = await signInAs(t, admin, 'lead');
    db = t.app.get(DataSource);
  });

  afterAll(() => t.close());

  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });
  const tagOf = async (name: string) => ((await t.http.get('/api/tags').set(bearer(admin))).body as TagDto[]).find((tag) => tag.name === name);
  const tagsOnTicket = async (id: string) => ((await t.http.get(`/api/tickets/${id}`).set(bearer(admin))).body as TicketDetailDto).tags;
  const rollup = async (tagName: string) =>
    (await db.query<{ tickets: number }[]>('SELECT coalesce(sum(d.tickets), 0)::int AS tickets FROM tag_daily_counts d JOIN tags g ON g.id = d.tag_id WHERE g.name = $1', [tagName]))[0].tickets;

  it('lets a lead rename, describe and colour a tag, and not an agent', async () => {
    await t.http.post('/api/tags').set(bearer(admin)).send({ name: 'refnd' }).expect(201);
    const tag = (await tagOf('refnd')) as TagDto;
    expect((await t.http.patch(`/api/tags/${tag.id}`).set(bearer(agent.token)).send({ name: 'refund' })).status).toBe(403);
    const renamed = await t.http.patch(`/api/tags/${tag.id}`).set(bearer(lead.token)).send({ name: 'refund', description: 'Money back', color: '#aa3300' });
    expect(renamed.status).toBe(200);
    expect(renamed.body).toMatchObject({ id: tag.id, name: 'refund', description: 'Money back', color: '#aa3300' });
  });

  it('merges a tag into another, retagging every ticket and moving its counts', async () => {
    const tickets = await Promise.all([1, 2, 3].map((n) => arrive(t, { subject: `Charged twice ${n}` })));
    await t.http.patch(`/api/tickets/${tickets[0]}`).set(bearer(admin)).send({ tags: ['double-charge'] }).expect(200);
    await t.http.patch(`/api/tickets/${tickets[1]}`).set(bearer(admin)).send({ tags: ['double-charge', 'billing'] }).expect(200);
    await t.http.patch(`/api/tickets/${tickets[2]}`).set(bearer(admin)).send({ tags: ['billing'] }).expect(200);
    const [source, target] = [await tagOf('double-charge'), await tagOf('billing')] as TagDto[];

    expect((await t.http.post(`/api/tags/${source.id}/merge`).set(bearer(agent.token)).send({ intoTagId: target.id })).status).toBe(403);
    const merged = await t.http.post(`/api/tags/${source.id}/merge`).set(bearer(lead.token)).send({ intoTagId: target.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toEqual({ retaggedTickets: 2 });

    for (const id of tickets) expect(await tagsOnTicket(id)).toEqual(['billing']);
    expect(await tagOf('double-charge')).toBeUndefined();
    expect(await rollup('billing')).toBe(3);
    expect((await t.http.post(`/api/tags/${target.id}/merge`).set(bearer(lead.token)).send({ intoTagId: target.id })).status).toBe(400);
  });

  it('refuses to solve an untagged ticket when the workspace requires a tag, and accepts tag-and-solve at once', async () => {
    const id = await arrive(t, { subject: 'Where is my order?' });
    expect((await t.http.patch('/api/tags/settings').set(bearer(agent.token)).send({ requireTagToSolve: true })).status).toBe(403);
    const settings = await t.http.patch('/api/tags/settings').set(bearer(lead.token)).send({ requireTagToSolve: true });
    expect((settings.body as TagSettingsDto).requireTagToSolve).toBe(true);

    const refused = await t.http.patch(`/api/tickets/${id}`).set(bearer(agent.token)).send({ status: 'solved' });
    expect(refused.status).toBe(400);
    expect(refused.body.fields).toEqual([{ field: 'tags', message: expect.stringMatching(/at least one tag/) }]);
    expect((await t.http.get(`/api/tickets/${id}`).set(bearer(admin))).body.status).toBe('new');

    const solved = await t.http.patch(`/api/tickets/${id}`).set(bearer(agent.token)).send({ status: 'solved', tags: ['shipping'] });
    expect(solved.status).toBe(200);
    expect(solved.body).toMatchObject({ status: 'solved', tags: ['shipping'] });
    await t.http.patch('/api/tags/settings').set(bearer(lead.token)).send({ requireTagToSolve: false }).expect(200);
  });

  describe('suggestions', () => {
    beforeAll(async () => {
      // A small team history: 60 tagged tickets per topic, written in one statement per table.
      const topics = Object.keys(TOPICS);
      await db.query(`INSERT INTO tags (name) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING`, [topics]);
      await db.query(
        `WITH made AS (
           INSERT INTO tickets (subject, status) SELECT 'history ' || topic || ' ' || g, 'solved'
             FROM unnest($1::text[]) topic, generate_series(0, 59) g RETURNING id, subject
         )
         INSERT INTO messages (ticket_id, direction, body_text)
         SELECT made.id, 'inbound', 'Hello, ' || (($2::jsonb -> split_part(made.subject, ' ', 2)) ->> (split_part(made.subject, ' ', 3)::int % 6))
                || ' and also ' || (($2::jsonb -> split_part(made.subject, ' ', 2)) ->> ((split_part(made.subject, ' ', 3)::int * 5 + 1) % 6)) || ', thanks'
           FROM made`,
        [topics, JSON.stringify(TOPICS)],
      );
      await db.query(
        `INSERT INTO ticket_tags (ticket_id, tag_id)
         SELECT t.id, g.id FROM tickets t JOIN tags g ON g.name = split_part(t.subject, ' ', 2) WHERE t.subject LIKE 'history %'`,
      );
      expect(await t.app.get(TagSuggestionsService).retrain()).toBe(true);
    });

    const suggestionsFor = (id: string, token = agent.token) =>
      waitFor(`suggestions for ${id}`, async () => {
        const response = await t.http.get(`/api/tickets/${id}/tag-suggestions`).set(bearer(token));
        const list = response.body as TagSuggestionDto[];
        return list.length > 0 && list;
      });

    it('suggests tags learned from the team for an arriving ticket, with their confidence', async () => {
      const id = await arrive(t, { subject: 'Refund please', body: 'I was charged twice and the invoice is wrong, I need a refund' });
      const [top] = await suggestionsFor(id);
      expect(top).toMatchObject({ tag: 'billing', source: 'model', state: 'pending' });
      expect(top.confidence).toBeGreaterThan(0.5);
      expect(top.confidence).toBeLessThanOrEqual(1);
    });

    it('adds an accepted suggestion to the ticket, and remembers a rejected one for the next training', async () => {
      const id = await arrive(t, { subject: 'Parcel', body: 'My parcel never arrived and the tracking number shows nothing' });
      const [top] = await suggestionsFor(id);
      expect(top.tag).toBe('shipping');
      const accepted = await t.http.post(`/api/tickets/${id}/tag-suggestions/${top.tagId}/accept`).set(bearer(agent.token));
      expect(accepted.status).toBe(200);
      expect((accepted.body as TagSuggestionDto[])[0]).toMatchObject({ tag: 'shipping', state: 'accepted' });
      expect(await tagsOnTicket(id)).toEqual(['shipping']);
      const timeline = ((await t.http.get(`/api/tickets/${id}`).set(bearer(admin))).body as TicketDetailDto).events;
      expect(timeline.find((event) => event.type === 'tags.changed')).toMatchObject({ actorType: 'user', data: { added: ['shipping'] } });

      const other = await arrive(t, { subject: 'Password', body: 'I cannot log in, the reset link for my password fails' });
      const [wrong] = await suggestionsFor(other);
      const rejected = await t.http.post(`/api/tickets/${other}/tag-suggestions/${wrong.tagId}/reject`).set(bearer(agent.token));
      expect((rejected.body as TagSuggestionDto[])[0]).toMatchObject({ tagId: wrong.tagId, state: 'rejected' });
      expect(await tagsOnTicket(other)).toEqual([]);
      const [row] = await db.query<{ rejected: boolean }[]>(
        `SELECT EXISTS (SELECT 1 FROM ticket_tag_suggestions WHERE ticket_id = $1 AND tag_id = $2 AND state = 'rejected') AS rejected`,
        [other, wrong.tagId],
      );
      expect(row.rejected).toBe(true);
    });

    it("suggests a care owner's keyword rule with full confidence", async () => {
      const careOwner = await signInAs(t, admin, 'care_owner');
      expect((await t.http.post('/api/tag-suggestions/rules').set(bearer(agent.token)).send({ tag: 'gdpr', keywords: ['delete my data'] })).status).toBe(403);
      const rule = await t.http.post('/api/tag-suggestions/rules').set(bearer(careOwner.token)).send({ tag: 'gdpr', keywords: ['delete my data', 'gdpr'] });
      expect(rule.status).toBe(201);
      expect(rule.body as KeywordRuleDto).toMatchObject({ tag: 'gdpr', keywords: ['delete my data', 'gdpr'] });

      const id = await arrive(t, { subject: 'Account', body: 'Please DELETE my   data from your systems' });
      const suggestions = await suggestionsFor(id);
      expect(suggestions[0]).toMatchObject({ tag: 'gdpr', source: 'rule', confidence: 1 });
    });
  });
});
