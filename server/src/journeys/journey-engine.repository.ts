import { NPS_DETRACTOR_MAX } from '../../../contracts/surveys';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { ExitGoal, JourneyTrigger } from '../../../contracts/journeys';
import type { MessageDirection, MessageFlag, SubscriptionStatus, TicketStatus } from '../../../contracts/domain';
import { Customer } from '../customers/customer.entity';
import { Message } from '../tickets/message.entity';
import { CareTouch } from './care-touch.entity';
import { holdoutPositionSql } from './holdout';
import { JourneyEnrollment } from './journey-enrollment.entity';
import { JourneyStepRun } from './journey-step-run.entity';
import { Journey } from './journey.entity';

const OPEN_TICKET_STATUSES: TicketStatus[] = ['new', 'open', 'pending', 'on_hold'];
/** Inbound mail nobody typed (auto-replies, bulk, bounces) is not the customer answering. */
const NOISE_FLAGS = ['auto_reply', 'bulk', 'bounce'];

/** In an enrollment insert ($1 the journey, `occurrence` the entering row): whether the customer is held out. */
const HELD_OUT = `${holdoutPositionSql('$1::uuid', 'occurrence.customer_id')} < (SELECT j.holdout_percent FROM journeys j WHERE j.id = $1::uuid) / 100.0`;
const STATE = `CASE WHEN ${HELD_OUT} THEN 'held_out' ELSE 'active' END`;

export interface EnrollmentUpdate {
  id: string;
  state: JourneyEnrollment['state'];
  nextStepId: string | null;
  dueAt: Date | null;
  exitReason: string | null;
  failures: number;
  finishedAt: Date | null;
}

/** What the ticket triggers decide on: the ticket's customer and subscription, and the ticket's first message. */
export interface TriggerTicket {
  id: string;
  customerId: string | null;
  subscriptionStatus: SubscriptionStatus | null;
  currentCycle: number | null;
  /** The ticket's first message (notes included), null when it has none. */
  firstMessage: { direction: MessageDirection; flags: MessageFlag[] } | null;
}

/** What a reply to a care email is recognised and dated by. */
export type ReplyFacts = Pick<Message, 'id' | 'direction' | 'flags' | 'inReplyTo' | 'references' | 'createdAt'>;

/** A customer who wrote at `before`: their enrollments that began earlier reach the goal. */
export interface GoalReached {
  customerId: string;
  before: Date;
}

export interface SourceTicket {
  id: string;
  number: number;
  subject: string;
  status: TicketStatus;
}

/** The queries the journey engine runs: scheduled enrollment, claiming due work, the facts steps decide on, bulk writes. */
@Injectable()
export class JourneyEngineRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  activeJourneys(manager: EntityManager = this.dataSource.manager): Promise<Journey[]> {
    return manager.getRepository(Journey).find({ where: { status: 'active' } });
  }

  findJourneys(ids: string[], manager: EntityManager): Promise<Journey[]> {
    return manager.getRepository(Journey).findBy({ id: In(ids) });
  }

  /** One instance scans a journey's schedule at a time; the others skip it rather than wait. */
  lockJourneyForScan(id: string, manager: EntityManager): Promise<Journey | null> {
    return manager.getRepository(Journey).createQueryBuilder('j').where("j.id = :id AND j.status = 'active'", { id }).setLock('pessimistic_write').setOnLocked('skip_locked').getOne();
  }

  async setScannedUntil(id: string, until: Date, manager: EntityManager): Promise<void> {
    await manager.getRepository(Journey).update({ id }, { scannedUntil: until });
  }

  /**
   * Enrolls, in one statement, every customer whose scheduled trigger occurred in (from, now]. The
   * occurrence key names the occurrence (which subscription day, which renewal …), so a rescan or a
   * second instance enrolls nobody twice.
   */
  async enrollScheduled(journey: Journey, from: Date, now: Date, manager: EntityManager): Promise<number> {
    const scheduled = occurrences(journey.trigger);
    if (!scheduled) return 0;
    const { source, parameters } = scheduled;

    const rows = await manager.query<{ count: number }[]>(
      `WITH entered AS (
         INSERT INTO journey_enrollments (journey_id, customer_id, occurrence_key, ticket_id, next_step_id, due_at, created_at, held_out, state)
         SELECT $1::uuid, occurrence.*, $2::text, $3::timestamptz, $3::timestamptz, ${HELD_OUT}, ${STATE}
         FROM (${source}) AS occurrence(customer_id, occurrence_key, ticket_id)
         ON CONFLICT (journey_id, customer_id, occurrence_key) DO NOTHING
         RETURNING 1
       ) SELECT count(*)::int AS count FROM entered`,
      [journey.id, journey.steps[0].id, now, from, now, ...parameters],
    );
    return rows[0].count;
  }

  /**
   * A dry run for a journey's review: the customers its trigger picked out in (from, to] (event triggers read
   * the tickets of the period), how many, and a few of the newest. Nothing is written.
   */
  async wouldEnter(trigger: JourneyTrigger, from: Date, to: Date, sampleSize: number): Promise<{ count: number; sample: { id: string; email: string; name: string | null }[] }> {
    const found = occurrences(trigger) ?? eventOccurrences(trigger);
    // $1–$3 are the enrollment's own parameters: typed here so the shared sources can be run on their own.
    const rows = await this.dataSource.query<{ id: string; email: string; name: string | null; total: number }[]>(
      `WITH unused AS (SELECT $1::uuid, $2::text, $3::timestamptz),
            entering AS (SELECT DISTINCT occurrence.customer_id FROM (${found.source}) AS occurrence(customer_id, occurrence_key, ticket_id))
       SELECT c.id, c.email, c.name, count(*) OVER ()::int AS total FROM entering e JOIN customers c ON c.id = e.customer_id
        ORDER BY c.created_at DESC, c.id LIMIT ${Math.trunc(sampleSize)}`,
      [null, null, null, from, to, ...found.parameters],
    );
    return { count: rows[0]?.total ?? 0, sample: rows.map(({ id, email, name }) => ({ id, email, name })) };
  }

  /** Enrolls one customer for one occurrence; null when already enrolled for it. */
  async enrollOne(journey: Journey, customerId: string, occurrenceKey: string, ticketId: string | null, now: Date, manager: EntityManager): Promise<{ id: string; heldOut: boolean } | null> {
    const rows = await manager.query<{ id: string; held_out: boolean }[]>(
      `INSERT INTO journey_enrollments (journey_id, customer_id, occurrence_key, ticket_id, next_step_id, due_at, created_at, held_out, state)
       SELECT $1::uuid, $2::uuid, $3, $4::uuid, $5, $6::timestamptz, $6::timestamptz, ${HELD_OUT}, ${STATE}
       FROM (SELECT $2::uuid AS customer_id) AS occurrence
       ON CONFLICT (journey_id, customer_id, occurrence_key) DO NOTHING RETURNING id, held_out`,
      [journey.id, customerId, occurrenceKey, ticketId, journey.steps[0].id, now],
    );
    return rows[0] ? { id: rows[0].id, heldOut: rows[0].held_out } : null;
  }

  /** Due enrollments of active journeys, locked for this transaction; rows another instance holds are skipped. */
  claimDue(now: Date, limit: number, manager: EntityManager): Promise<JourneyEnrollment[]> {
    return manager
      .getRepository(JourneyEnrollment)
      .createQueryBuilder('e')
      .where("e.state = 'active' AND e.dueAt <= :now", { now })
      .andWhere("EXISTS (SELECT 1 FROM journeys j WHERE j.id = e.journey_id AND j.status = 'active')")
      .orderBy('e.dueAt')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /**
   * The exit goal each enrollment has reached, checked against durable records (a later inbound message
   * from the customer; a later subscription event), so no goal is missed even if its event was.
   */
  async reachedGoals(enrollmentIds: string[], manager: EntityManager): Promise<Map<string, ExitGoal>> {
    const rows = await manager.query<{ id: string; goal: ExitGoal }[]>(
      `SELECT id, goal FROM (
         SELECT e.id, COALESCE(
           CASE WHEN 'replied' = ANY(j.exit_goals) AND EXISTS (
             SELECT 1 FROM tickets t JOIN messages m ON m.ticket_id = t.id
             WHERE t.customer_id = e.customer_id AND m.direction = 'inbound' AND m.created_at > e.created_at AND NOT (m.flags && $2::text[])
           ) THEN 'replied' END,
           (SELECT s.type FROM subscription_events s
            WHERE s.customer_id = e.customer_id AND s.received_at > e.created_at AND s.type = ANY(j.exit_goals)
            ORDER BY s.received_at LIMIT 1)
         ) AS goal
         FROM journey_enrollments e JOIN journeys j ON j.id = e.journey_id
         WHERE e.id = ANY($1::uuid[]) AND cardinality(j.exit_goals) > 0
       ) reached WHERE goal IS NOT NULL`,
      [enrollmentIds, NOISE_FLAGS],
    );
    return new Map(rows.map((row) => [row.id, row.goal]));
  }

  customers(ids: string[], manager: EntityManager): Promise<Customer[]> {
    return manager.getRepository(Customer).findBy({ id: In(ids) });
  }

  async unsubscribed(customerIds: string[], manager: EntityManager): Promise<Set<string>> {
    const rows = await manager.query<{ customer_id: string }[]>('SELECT customer_id FROM unsubscribes WHERE customer_id = ANY($1::uuid[])', [customerIds]);
    return new Set(rows.map((row) => row.customer_id));
  }

  async withOpenTicket(customerIds: string[], manager: EntityManager): Promise<Set<string>> {
    const rows = await manager.query<{ customer_id: string }[]>('SELECT DISTINCT customer_id FROM tickets WHERE customer_id = ANY($1::uuid[]) AND status = ANY($2::ticket_status[])', [
      customerIds,
      OPEN_TICKET_STATUSES,
    ]);
    return new Set(rows.map((row) => row.customer_id));
  }

  async tickets(ids: string[], manager: EntityManager): Promise<Map<string, SourceTicket>> {
    if (ids.length === 0) return new Map();
    const rows = await manager.query<SourceTicket[]>('SELECT id, number, subject, status FROM tickets WHERE id = ANY($1::uuid[])', [ids]);
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** Care emails counted by the weekly cap (queued or sent since `since`), oldest first per customer. */
  async recentEmails(customerIds: string[], since: Date, manager: EntityManager): Promise<Map<string, Date[]>> {
    const rows = await manager.query<{ customer_id: string; created_at: Date }[]>(
      `SELECT customer_id, created_at FROM care_touches WHERE customer_id = ANY($1::uuid[]) AND created_at > $2 AND state IN ('queued', 'sent') ORDER BY created_at`,
      [customerIds, since],
    );
    const result = new Map<string, Date[]>();
    for (const row of rows) result.set(row.customer_id, [...(result.get(row.customer_id) ?? []), row.created_at]);
    return result;
  }

  /**
   * Serialises care emails per customer across transactions and instances, so the weekly cap holds even
   * when two journeys reach one customer at the same moment. Taken in id order: no deadlocks.
   */
  async lockCustomers(customerIds: string[], manager: EntityManager): Promise<void> {
    if (customerIds.length === 0) return;
    await manager.query(`SELECT pg_advisory_xact_lock(hashtextextended('care:' || id::text, 0)) FROM unnest($1::uuid[]) AS id`, [[...new Set(customerIds)].sort()]);
  }

  async addCustomerTag(customerId: string, tag: string, manager: EntityManager): Promise<void> {
    await manager.query('UPDATE customers SET tags = array_append(tags, $2) WHERE id = $1 AND NOT ($2 = ANY(tags))', [customerId, tag]);
  }

  async insertTouches(touches: Partial<CareTouch>[], manager: EntityManager): Promise<void> {
    if (touches.length) await manager.getRepository(CareTouch).insert(touches);
  }

  /** One statement for the batch; a second run of a step breaks the unique key and rolls the whole batch back. */
  async insertStepRuns(runs: Omit<JourneyStepRun, 'id' | 'enrollment'>[], manager: EntityManager): Promise<void> {
    if (runs.length === 0) return;
    await manager.query(
      `INSERT INTO journey_step_runs (enrollment_id, journey_id, step_id, step_type, outcome, detail, created_at)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::jsonb[], $7::timestamptz[])`,
      [
        runs.map((run) => run.enrollmentId),
        runs.map((run) => run.journeyId),
        runs.map((run) => run.stepId),
        runs.map((run) => run.stepType),
        runs.map((run) => run.outcome),
        runs.map((run) => JSON.stringify(run.detail)),
        runs.map((run) => run.createdAt),
      ],
    );
  }

  async updateEnrollments(updates: EnrollmentUpdate[], manager: EntityManager): Promise<void> {
    if (updates.length === 0) return;
    await manager.query(
      `UPDATE journey_enrollments e SET state = u.state, next_step_id = u.next_step_id, due_at = u.due_at, exit_reason = u.exit_reason, failures = u.failures, finished_at = u.finished_at
       FROM unnest($1::uuid[], $2::text[], $3::text[], $4::timestamptz[], $5::text[], $6::int[], $7::timestamptz[]) AS u(id, state, next_step_id, due_at, exit_reason, failures, finished_at)
       WHERE e.id = u.id`,
      [
        updates.map((update) => update.id),
        updates.map((update) => update.state),
        updates.map((update) => update.nextStepId),
        updates.map((update) => update.dueAt),
        updates.map((update) => update.exitReason),
        updates.map((update) => update.failures),
        updates.map((update) => update.finishedAt),
      ],
    );
  }

  /**
   * Ends, in one statement, each customer's active enrollments in journeys with this goal that began before
   * that customer's `before` (the latest one when a customer is named twice).
   */
  async exitForGoal(goal: ExitGoal, reached: GoalReached[], now: Date): Promise<void> {
    if (reached.length === 0) return;
    await this.dataSource.query(
      `UPDATE journey_enrollments e SET state = 'exited', exit_reason = $1, next_step_id = NULL, due_at = NULL, finished_at = $2
       FROM journeys j, (SELECT customer_id, max(before) AS before FROM unnest($3::uuid[], $4::timestamptz[]) AS r(customer_id, before) GROUP BY customer_id) r
       WHERE j.id = e.journey_id AND $1 = ANY(j.exit_goals) AND e.customer_id = r.customer_id AND e.state = 'active' AND e.created_at < r.before`,
      [goal, now, reached.map((entry) => entry.customerId), reached.map((entry) => entry.before)],
    );
  }

  // ---- sending ----

  /**
   * The next care email due for sending, locked for as long as this transaction lives (through the SMTP
   * exchange), and whether its customer has unsubscribed since it was written.
   */
  async claimNextTouch(manager: EntityManager): Promise<{ touch: CareTouch; unsubscribed: boolean } | null> {
    const { entities, raw } = await manager
      .getRepository(CareTouch)
      .createQueryBuilder('t')
      .addSelect('EXISTS (SELECT 1 FROM unsubscribes u WHERE u.customer_id = t.customer_id)', 'unsubscribed')
      .where("t.state = 'queued' AND t.nextAttemptAt <= now()")
      .orderBy('t.nextAttemptAt')
      .limit(1)
      .setLock('pessimistic_write', undefined, ['t'])
      .setOnLocked('skip_locked')
      .getRawAndEntities<{ unsubscribed: boolean }>();
    return entities[0] ? { touch: entities[0], unsubscribed: raw[0].unsubscribed } : null;
  }

  async updateTouch(id: string, changes: Partial<CareTouch>, manager: EntityManager): Promise<void> {
    await manager.getRepository(CareTouch).update({ id }, changes);
  }

  async retryTouchLater(id: string, attempts: number, error: string, delaySeconds: number, manager: EntityManager): Promise<void> {
    await manager.query(`UPDATE care_touches SET attempts = $2, error = $3, next_attempt_at = now() + $4 * interval '1 second' WHERE id = $1`, [id, attempts, error, delaySeconds]);
  }

  async hasSendableTouches(): Promise<boolean> {
    const rows = await this.dataSource.query<{ due: boolean }[]>("SELECT EXISTS (SELECT 1 FROM care_touches WHERE state = 'queued' AND next_attempt_at <= now()) AS due");
    return rows[0].due;
  }

  // ---- ticket triggers and replies ----

  /** The tickets of a batch with what the ticket triggers decide on; tickets that no longer exist are left out. */
  async triggerTickets(ticketIds: string[]): Promise<Map<string, TriggerTicket>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource.query<TriggerTicket[]>(
      `SELECT t.id, t.customer_id AS "customerId", c.subscription_status AS "subscriptionStatus", c.current_cycle AS "currentCycle",
              (SELECT json_build_object('direction', m.direction, 'flags', m.flags) FROM messages m WHERE m.ticket_id = t.id ORDER BY m.created_at, m.id LIMIT 1) AS "firstMessage"
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
        WHERE t.id = ANY($1::uuid[])`,
      [ticketIds],
    );
    return new Map(rows.map((row) => [row.id, row]));
  }

  /** The messages of a batch, with just what tells a reply to a care email; missing ones are left out. */
  async replyFacts(messageIds: string[]): Promise<Map<string, ReplyFacts>> {
    if (messageIds.length === 0) return new Map();
    const messages = await this.dataSource.getRepository(Message).find({
      select: { id: true, direction: true, flags: true, inReplyTo: true, references: true, createdAt: true },
      where: { id: In(messageIds) },
    });
    return new Map(messages.map((message) => [message.id, message]));
  }

  /** The care emails with any of these Message-IDs, newest first. */
  findTouchesByMessageIds(messageIds: string[]): Promise<(CareTouch & { journey: Journey | null })[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(CareTouch).find({ where: { messageId: In([...new Set(messageIds)]) }, relations: { journey: true }, order: { createdAt: 'DESC' } });
  }

  /** Marks the first reply to a care email; false when one was recorded already. */
  async markReplied(touchId: string, ticketId: string, at: Date): Promise<boolean> {
    const result = await this.dataSource.getRepository(CareTouch).createQueryBuilder().update().set({ repliedAt: at, replyTicketId: ticketId }).where('id = :touchId AND replied_at IS NULL', { touchId }).execute();
    return (result.affected ?? 0) > 0;
  }
}

/**
 * The customers whose scheduled trigger occurred in ($4, $5], as (customer_id, occurrence_key, ticket_id); $6 on
 * are the trigger's parameters. Null for triggers that enroll on an event as it happens.
 */
function occurrences(trigger: JourneyTrigger): { source: string; parameters: unknown[] } | null {
  const epoch = (column: string) => `(extract(epoch FROM ${column}) * 1000)::bigint`;
    switch (trigger.type) {
      case 'subscription_day':
        return { source: `SELECT c.id, 'day:' || $6::int || ':' || ${epoch('c.subscription_started_at')}, NULL::uuid FROM customers c
                  WHERE c.subscription_status = 'active' AND c.subscription_started_at > $4::timestamptz - make_interval(days => $6::int) AND c.subscription_started_at <= $5::timestamptz - make_interval(days => $6::int)`, parameters: [trigger.days] };
      case 'before_renewal':
        return { source: `SELECT c.id, 'renewal:' || ${epoch('c.next_renewal_at')}, NULL::uuid FROM customers c
                  WHERE c.subscription_status = 'active' AND c.next_renewal_at > $4::timestamptz + make_interval(days => $6::int) AND c.next_renewal_at <= $5::timestamptz + make_interval(days => $6::int) AND c.next_renewal_at > $5`, parameters: [trigger.days] };
      case 'after_cancellation':
        return { source: `SELECT c.id, 'cancelled:' || ${epoch('c.cancelled_at')}, NULL::uuid FROM customers c
                  WHERE c.subscription_status = 'cancelled' AND c.cancelled_at > $4::timestamptz - make_interval(days => $6::int) AND c.cancelled_at <= $5::timestamptz - make_interval(days => $6::int)`, parameters: [trigger.days] };
      case 'skipped_cycles':
        // A streak of skips happens within one cycle (a renewal ends it), so the cycle names the occurrence.
        return { source: `SELECT DISTINCT c.id, 'skips:' || COALESCE(c.current_cycle, 0) || ':' || COALESCE(${epoch('c.subscription_started_at')}, 0), NULL::uuid
                  FROM subscription_events s JOIN customers c ON c.id = s.customer_id
                  WHERE s.type = 'skipped' AND s.received_at > $4 AND s.received_at <= $5 AND c.subscription_status = 'active' AND c.skipped_cycles >= $6`, parameters: [trigger.count] };
      case 'low_satisfaction':
        return { source: `SELECT r.customer_id, 'satisfaction:' || r.id, r.ticket_id FROM satisfaction_responses r
                  WHERE r.created_at > $4 AND r.created_at <= $5 AND r.score <= $6 AND r.kind = 'csat' AND r.voided_at IS NULL`, parameters: [trigger.maxScore] };
      case 'nps_detractor':
        return { source: `SELECT r.customer_id, 'satisfaction:' || r.id, r.ticket_id FROM satisfaction_responses r
                  WHERE r.created_at > $4 AND r.created_at <= $5 AND r.score <= $6 AND r.kind = 'nps' AND r.voided_at IS NULL`, parameters: [NPS_DETRACTOR_MAX] };
      case 'first_cycle_ticket':
      case 'ticket_tagged':
        return null;
    }
}

/** For a review only: the tickets of ($4, $5] that an event trigger would have reacted to, in the same shape. */
function eventOccurrences(trigger: JourneyTrigger): { source: string; parameters: unknown[] } {
  if (trigger.type === 'ticket_tagged') {
    return {
      source: `SELECT t.customer_id, 'ticket:' || t.id, t.id FROM tickets t JOIN ticket_tags tt ON tt.ticket_id = t.id JOIN tags g ON g.id = tt.tag_id
                WHERE g.name = $6 AND t.customer_id IS NOT NULL AND t.created_at > $4 AND t.created_at <= $5`,
      parameters: [trigger.tag],
    };
  }
  // A first-cycle ticket: written while in the first cycle of their subscription.
  return {
    source: `SELECT t.customer_id, 'ticket:' || t.id, t.id FROM tickets t JOIN care_subscriber_facts f ON f.customer_id = t.customer_id
              WHERE t.created_at > $4 AND t.created_at <= $5 AND t.created_at >= f.first_started_at AND t.created_at < f.first_cycle_end`,
    parameters: [],
  };
}
