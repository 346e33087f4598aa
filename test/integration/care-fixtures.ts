/** What the tags, signals and care tests share: users per role and ticket histories written with set-based SQL. */
import { DataSource } from 'typeorm';
import type { UserDto } from '../../contracts/api';
import type { Role } from '../../contracts/domain';
import type { TestApp } from '../support/app';
import { createTicket, type TicketFixture } from '../support/fixtures';
import { publish } from '../support/events';

export async function signInAs(t: TestApp, admin: string, role: Role): Promise<{ user: UserDto; token: string }> {
  const email = `${role}.${Math.random().toString(36).slice(2, 8)}@example.com`;
  const created = await t.http.post('/api/users').auth(admin, { type: 'bearer' }).send({ email, name: `A ${role}`, role, password: 'password-12345' });
  if (created.status !== 201) throw new Error(`creating a ${role} failed: ${JSON.stringify(created.body)}`);
  return { user: created.body as UserDto, token: await t.login(email, 'password-12345') };
}

export interface HistoryRow {
  tag: string | null;
  /** 0 is the current 7-day window (ending today), 1 the week before it … */
  weeksAgo: number;
  tickets: number;
  /** How many of them come from subscribers in their first billing cycle (default none). */
  firstCycle?: number;
}

/**
 * Writes tickets spread over the days of each row's week, one customer each (first-cycle or not as asked), and tags
 * them; the ticket_tags trigger keeps the rollups as it does in production. Two statements per history.
 */
export async function writeHistory(t: TestApp, now: Date, rows: HistoryRow[]): Promise<void> {
  const db = t.app.get(DataSource);
  await db.query(`INSERT INTO tags (name) SELECT DISTINCT unnest($1::text[]) ON CONFLICT DO NOTHING`, [rows.flatMap((row) => (row.tag ? [row.tag] : []))]);
  await db.query(
    `WITH spec AS (
       SELECT * FROM unnest($2::text[], $3::int[], $4::int[], $5::int[]) AS s(tag, weeks_ago, tickets, first_cycle)
     ), planned AS (
       SELECT s.*, g, gen_random_uuid() AS customer_id FROM spec s, generate_series(1, s.tickets) g
     ), customers_made AS (
       INSERT INTO customers (id, email, subscription_status, subscription_started_at, current_cycle)
       SELECT customer_id, customer_id || '@history.test', 'active', $1::timestamptz - interval '400 days', CASE WHEN g <= first_cycle THEN 1 ELSE 5 END
         FROM planned
     )
     INSERT INTO tickets (subject, status, customer_id, created_at, updated_at, last_activity_at)
     SELECT coalesce(tag, 'untagged') || ' history ' || weeks_ago || '-' || g, 'solved', customer_id,
            $1::timestamptz - ((weeks_ago * 7 + g % 7) * interval '1 day') - interval '1 minute', $1, $1
       FROM planned`,
    [now, rows.map((row) => row.tag), rows.map((row) => row.weeksAgo), rows.map((row) => row.tickets), rows.map((row) => row.firstCycle ?? 0)],
  );
  await db.query(
    `INSERT INTO ticket_tags (ticket_id, tag_id)
     SELECT t.id, g.id FROM tickets t JOIN tags g ON g.name = split_part(t.subject, ' history ', 1)
      WHERE t.subject LIKE '% history %' AND NOT EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id)`,
  );
}

/** Opens a ticket as ingestion does: the ticket and its first message, then `ticket.created`. */
export async function arrive(t: TestApp, fixture: TicketFixture): Promise<string> {
  const ticket = await createTicket(t.app, fixture);
  await publish(t.app, [{ name: 'ticket.created', payload: { ticketId: ticket.id } }]);
  return ticket.id;
}
