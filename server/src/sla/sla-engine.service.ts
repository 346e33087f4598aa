import { OutboxService } from '../outbox/outbox.service';
import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SlaTargetKind } from '../../../contracts/sla';
import { Clock } from '../common/clock';
import type { DomainEvent } from '../common/domain-events';
import type { TicketEvent } from '../tickets/ticket-event.entity';
import { TicketRepository } from '../tickets/ticket.repository';
import { JobsService } from '../jobs/jobs.service';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { SlaClock, type BusinessCalendar, type SlaClockState } from './clock';
import { SlaRepository, type ClaimedTarget, type MessageFacts, type TargetWrite, type TicketSlaFacts } from './sla.repository';
import type { SlaPolicy } from './sla-policy.entity';
import { ESCALATE_QUEUE, type EscalateJob } from './sla-queues';
import { choosePolicy, clockSettings, CLOSED_STATUSES, raisedPriority, rebaseClock, targetMinutes, toBusinessCalendar } from './sla-rules';
import type { SlaTarget } from './sla-target.entity';

const SYSTEM: Actor = { type: 'system', id: null };
/** Targets claimed per transaction: small enough to keep locks short, large enough to catch up fast. */
const CLAIM_BATCH = 500;
/** How often, and how long apart, a pass comes back for targets it skipped because their ticket was locked. */
const SKIPPED_RETRIES = 20;
const SKIPPED_RETRY_MS = 100;
/** Kinds that start with the ticket; next reply targets start with each waiting customer message. */
const TICKET_KINDS: readonly SlaTargetKind[] = ['first_reply', 'resolution'];
/** Inbound mail with these flags is not a customer waiting for an answer. */
const NOT_WAITING_FLAGS = new Set(['auto_reply', 'bulk', 'bounce']);

/** A message a ticket received, as `message.created` names it. */
export interface MessageRef {
  ticketId: string;
  messageId: string;
}

/** What reconciling one ticket writes. */
interface ReconcilePlan {
  ticketId: string;
  save: TargetWrite[];
  remove: string[];
  /** The timeline entry's data when the ticket moved to a policy. */
  applied: { policyId: string; policyName: string; previousPolicyId: string | null } | null;
  /** The timeline entry's data when a reopened ticket's resolution target runs again. */
  resumed: { targetId: string; kind: SlaTargetKind; dueAt: string | null; spentMinutes: number } | null;
}

/** One ticket's targets while a batch of its messages changes them: each message sees what the ones before it did. */
class TicketTargets {
  private readonly slots: { target: TargetWrite; changed: boolean }[];

  constructor(open: readonly SlaTarget[]) {
    this.slots = open.map((target) => ({ target, changed: false }));
  }

  open(): TargetWrite[] {
    return this.slots.filter((slot) => slot.target.achievedAt === null).map((slot) => slot.target);
  }

  /** Replaces `target` (one of `open()`) with its next state. */
  put(target: TargetWrite, next: TargetWrite): void {
    const slot = this.slots.find((candidate) => candidate.target === target);
    if (!slot) throw new Error('not a target of this ticket');
    slot.target = next;
    slot.changed = true;
  }

  add(target: TargetWrite): void {
    this.slots.push({ target, changed: true });
  }

  /** What to save: existing targets before new ones, so an achieved target makes way for a new one of its kind. */
  writes(): TargetWrite[] {
    return this.slots.filter((slot) => slot.changed).map((slot) => slot.target);
  }
}

export interface DuePassResult {
  warnings: number;
  breaches: number;
}

function clockState(target: SlaClockState): SlaClockState {
  const { targetMinutes, spentMinutes, runningSince, pausedAt, achievedAt, dueAt, warnAt } = target;
  return { targetMinutes, spentMinutes, runningSince, pausedAt, achievedAt, dueAt, warnAt };
}

/**
 * Keeps every ticket's SLA targets in step with the ticket (policy, status, messages) and fires warnings and
 * breaches. All state lives in `sla_targets`; due times are stored, so nothing depends on a timer in memory.
 */
@Injectable()
export class SlaEngine {
  private readonly logger = new Logger('SLA');

  constructor(
    private readonly repository: SlaRepository,
    private readonly ticketRepository: TicketRepository,
    private readonly tickets: TicketsService,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  /**
   * Applies the matching policy to a ticket and its status to the clocks: creates missing targets, moves open
   * ones to a new policy or priority keeping the time spent, pauses, resumes, achieves on solve, and runs the
   * resolution target again when a solved ticket reopens.
   */
  async reconcile(ticketId: string): Promise<void> {
    await this.reconcileMany([ticketId]);
  }

  /**
   * `reconcile` for many tickets in one transaction and a constant number of statements. Tickets that no
   * longer exist are skipped.
   */
  async reconcileMany(ticketIds: readonly string[]): Promise<void> {
    const now = this.clock.now();
    await this.outbox.transaction(async (manager, raise) => {
      const tickets = await this.lockedFacts(ticketIds, manager);
      if (tickets.length === 0) return;
      const ids = tickets.map((ticket) => ticket.id);
      const policies = await this.repository.policies(manager);
      const open = await this.repository.openTargets(ids, manager);
      const everTargeted = await this.repository.kindsEverTargeted(ids, manager);
      const unsolved = tickets.filter((ticket) => !CLOSED_STATUSES.includes(ticket.status)).map((ticket) => ticket.id);
      const solvedResolutions = await this.repository.lastAchieved(unsolved, 'resolution', manager);
      const plans = tickets.map((ticket) =>
        this.planReconcile(ticket, policies, open.get(ticket.id) ?? [], everTargeted.get(ticket.id) ?? new Set(), solvedResolutions.get(ticket.id) ?? null, now),
      );

      await this.repository.deleteTargets(plans.flatMap((plan) => plan.remove), manager);
      await this.repository.saveTargets(plans.flatMap((plan) => plan.save), manager);
      const timeline = plans.flatMap((plan) => [
        ...(plan.applied ? [this.timelineEvent(plan.ticketId, 'sla.policy_applied', plan.applied, now)] : []),
        ...(plan.resumed ? [this.timelineEvent(plan.ticketId, 'sla.resumed', plan.resumed, now)] : []),
      ]);
      await this.repository.insertTimelineEvents(timeline, manager);
      announce(plans.filter((plan) => plan.save.length > 0 || plan.remove.length > 0).map((plan) => plan.ticketId), raise);
    });
  }

  /** A customer message waiting for an answer starts a next reply target; an agent's reply achieves reply targets. */
  async onMessage(ticketId: string, messageId: string): Promise<void> {
    await this.onMessages([{ ticketId, messageId }]);
  }

  /**
   * `onMessage` for many messages in one transaction and a constant number of statements; a ticket's messages
   * are taken in the order given, each seeing what the ones before it did.
   */
  async onMessages(refs: readonly MessageRef[]): Promise<void> {
    const now = this.clock.now();
    await this.outbox.transaction(async (manager, raise) => {
      const tickets = new Map((await this.lockedFacts(refs.map((ref) => ref.ticketId), manager)).map((ticket) => [ticket.id, ticket]));
      const messages = new Map((await this.repository.findMessages(refs.map((ref) => ref.messageId), manager)).map((message) => [message.id, message]));
      const found = refs.filter((ref) => tickets.has(ref.ticketId) && messages.has(ref.messageId));
      if (found.length === 0) return;
      const open = await this.repository.openTargets([...new Set(found.map((ref) => ref.ticketId))], manager);
      const policies = await this.repository.policies(manager);

      const targets = new Map([...open].map(([ticketId, rows]) => [ticketId, new TicketTargets(rows)]));
      const changedTickets = new Set<string>();
      for (const { ticketId, messageId } of found) {
        const [ticket, message, ticketTargets] = [tickets.get(ticketId), messages.get(messageId), targets.get(ticketId)];
        if (ticket && message && ticketTargets && this.applyMessage(ticket, message, ticketTargets, policies, now)) changedTickets.add(ticketId);
      }
      await this.repository.saveTargets([...targets.values()].flatMap((ticketTargets) => ticketTargets.writes()), manager);
      announce([...changedTickets], raise);
    });
  }

  /**
   * What reconciling one ticket changes, given its facts, open targets and (when it is not solved or closed) the
   * resolution target its last solve achieved.
   */
  private planReconcile(
    ticket: TicketSlaFacts,
    policies: SlaPolicy[],
    open: SlaTarget[],
    everTargeted: ReadonlySet<SlaTargetKind>,
    solvedResolution: SlaTarget | null,
    now: Date,
  ): ReconcilePlan {
    const policy = choosePolicy(policies, ticket);
    const previousPolicyId = open[0]?.policyId ?? solvedResolution?.policyId ?? null;
    const closed = CLOSED_STATUSES.includes(ticket.status);

    const save: TargetWrite[] = [];
    const remove: string[] = [];
    for (const target of open) {
      const previous = policies.find((candidate) => candidate.id === target.policyId);
      const current = SlaClock.restore(this.settingsOf(previous), clockState(target));
      const minutes = policy && targetMinutes(policy, ticket.priority, target.kind);
      let next: SlaClock;
      if (closed) next = current.achieve(now);
      else if (!policy || !minutes) {
        remove.push(target.id);
        continue;
      } else {
        const unchanged = target.policyId === policy.id && target.targetMinutes === minutes;
        next = unchanged ? this.followStatus(current, policy, ticket, now) : this.onPolicy(clockState(target), previous, policy, minutes, ticket, now);
      }
      const policyId = closed ? target.policyId : policy?.id ?? null;
      if (next !== current || policyId !== target.policyId) save.push({ ...this.withClock(target, next), policyId });
    }
    const resumed = !closed && policy && solvedResolution ? this.resumedResolution(ticket, policy, policies, open, solvedResolution, now) : null;
    if (resumed) save.push(resumed);
    if (!closed && policy) save.push(...this.missingTargets(ticket, policy, open, everTargeted, now));

    const applied = policy && policy.id !== previousPolicyId && save.some((target) => target.policyId === policy.id);
    return {
      ticketId: ticket.id,
      save,
      remove,
      applied: applied ? { policyId: policy.id, policyName: policy.name, previousPolicyId } : null,
      resumed: resumed && solvedResolution ? { targetId: solvedResolution.id, kind: resumed.kind, dueAt: resumed.dueAt?.toISOString() ?? null, spentMinutes: resumed.spentMinutes } : null,
    };
  }

  /**
   * The resolution target a solve achieved, running again on a reopened ticket: as if it had been paused at the
   * solve (the time spent before counts, the time solved does not), moved to the current policy's target and
   * calendar and following the ticket's status. Null when that policy sets no resolution target. A breach that
   * fired before the solve stays the target's outcome; otherwise the outcome is open again (decided_at cleared),
   * so the achievement report counts the target once, when it is finally met or breached.
   */
  private resumedResolution(ticket: TicketSlaFacts, policy: SlaPolicy, policies: SlaPolicy[], open: SlaTarget[], solved: SlaTarget, now: Date): TargetWrite | null {
    const minutes = targetMinutes(policy, ticket.priority, 'resolution');
    if (!minutes || solved.achievedAt === null || open.some((target) => target.kind === 'resolution')) return null;
    const previous = policies.find((candidate) => candidate.id === solved.policyId);
    const pausedAtSolve: SlaClockState = { ...clockState(solved), achievedAt: null, pausedAt: solved.achievedAt, dueAt: null, warnAt: null };
    const clock = this.onPolicy(pausedAtSolve, previous, policy, minutes, ticket, now);
    return { ...solved, ...clock.toState(), policyId: policy.id, decidedAt: solved.breachedAt ? solved.decidedAt : null };
  }

  /** Applies one message to its ticket's targets; whether anything changed. */
  private applyMessage(ticket: TicketSlaFacts, message: MessageFacts, targets: TicketTargets, policies: SlaPolicy[], now: Date): boolean {
    const open = targets.open();
    if (message.direction === 'outbound' && message.authorId) {
      const replies = open.filter((target) => target.kind !== 'resolution');
      for (const target of replies) {
        const policy = policies.find((candidate) => candidate.id === target.policyId);
        targets.put(target, this.withClock(target, SlaClock.restore(this.settingsOf(policy), clockState(target)).achieve(message.createdAt)));
      }
      return replies.length > 0;
    }
    const waiting = message.direction === 'inbound' && !message.flags.some((flag) => NOT_WAITING_FLAGS.has(flag));
    // Before the first agent reply the first reply target already covers the customer's wait.
    if (!waiting || !ticket.firstReplyAt || CLOSED_STATUSES.includes(ticket.status) || open.some((target) => target.kind === 'next_reply')) return false;
    const policy = choosePolicy(policies, ticket);
    const minutes = policy && targetMinutes(policy, ticket.priority, 'next_reply');
    if (!policy || !minutes) return false;
    const started = this.followStatus(SlaClock.start(this.settingsOf(policy), minutes, message.createdAt), policy, ticket, now);
    targets.add({ ...this.withClock({ decidedAt: null }, started), ticketId: ticket.id, policyId: policy.id, kind: 'next_reply', createdAt: now });
    return true;
  }

  /**
   * Fires every warning and breach due at `now` exactly once, across instances: each batch is claimed with
   * SKIP LOCKED and recorded (timeline, lead notifications, the escalation job) in the claiming transaction; a
   * restart catches up on everything due while it was down. Warnings go first, so none follows its breach.
   * Ticket changes wait for the job: a burst of breaches must not hold hundreds of ticket locks for them.
   */
  async runDuePass(now: Date = this.clock.now()): Promise<DuePassResult> {
    const result: DuePassResult = { warnings: 0, breaches: 0 };
    // Claims skip targets whose ticket another transaction holds (a reply, tagging, routing); those are
    // short, so the pass waits briefly for them rather than leaving their breach to the next pass.
    for (let attempt = 0; attempt < SKIPPED_RETRIES; attempt++) {
      await this.claimAllDue(now, result);
      if (!(await this.repository.hasUnclaimedDue(now))) break;
      await new Promise((resolve) => setTimeout(resolve, SKIPPED_RETRY_MS));
    }
    if (result.warnings || result.breaches) this.logger.log(`fired ${result.warnings} warnings and ${result.breaches} breaches`);
    return result;
  }

  private async claimAllDue(now: Date, result: DuePassResult): Promise<void> {
    let policies: SlaPolicy[] | null = null;
    for (;;) {
      const claimed = await this.outbox.transaction(async (manager, raise) => {
        const targets = await this.repository.claimWarnings(now, CLAIM_BATCH, manager);
        await this.recordFired('sla.warning', targets, manager, raise);
        return targets.length;
      });
      result.warnings += claimed;
      if (claimed < CLAIM_BATCH) break;
    }
    for (;;) {
      const { claimed, escalating } = await this.outbox.transaction(async (manager, raise) => {
        const targets = await this.repository.claimBreaches(now, CLAIM_BATCH, manager);
        if (targets.length === 0) return { claimed: 0, escalating: false };
        policies ??= await this.repository.policies(manager);
        await this.recordFired('sla.breached', targets, manager, raise);
        return { claimed: targets.length, escalating: await this.escalate(targets, policies, manager) };
      });
      if (escalating) this.jobs.nudge(ESCALATE_QUEUE);
      result.breaches += claimed;
      if (claimed < CLAIM_BATCH) break;
    }
  }

  /**
   * Moves the open targets of policies to their current settings after a calendar or policy change made at
   * `changedAt`: time before it counts on the calendar each policy had then (`previousCalendars`).
   */
  async rebasePolicies(previousCalendars: Record<string, BusinessCalendar>, changedAt: Date): Promise<number> {
    let updated = 0;
    for (const [policyId, previousCalendar] of Object.entries(previousCalendars)) {
      const policy = await this.repository.findPolicy(policyId);
      if (!policy) continue;
      const previous = clockSettings(policy, previousCalendar);
      const next = this.settingsOf(policy);
      for (let afterId = '00000000-0000-0000-0000-000000000000'; ; ) {
        const rows = await this.repository.openTargetsOfPolicy(policyId, afterId, 2000);
        if (rows.length === 0) break;
        afterId = rows[rows.length - 1].id;
        const moved = rows
          // Targets started or resumed after the change already run on the new settings.
          .filter((row) => row.runningSince === null || row.runningSince <= changedAt)
          .map((row) => {
            const minutes = targetMinutes(policy, row.priority, row.kind) ?? row.targetMinutes;
            const clock = rebaseClock(previous, next, { ...row, achievedAt: null }, minutes, changedAt);
            return { id: row.id, ...clock.toState(), seenUpdatedAt: row.updatedAt };
          });
        await this.repository.updateClocks(moved);
        updated += moved.length;
      }
    }
    return updated;
  }

  /** The facts of the tickets that exist, in id order, locked so reactions to a ticket and the scheduler's claims never interleave. */
  private async lockedFacts(ticketIds: readonly string[], manager: EntityManager): Promise<TicketSlaFacts[]> {
    return this.repository.ticketFacts(await this.ticketRepository.lockInIdOrder([...new Set(ticketIds)], manager), manager);
  }

  private settingsOf(policy: SlaPolicy | undefined | null) {
    return clockSettings(policy ?? { warning: null }, toBusinessCalendar(policy?.calendar ?? null));
  }

  private followStatus(clock: SlaClock, policy: SlaPolicy, ticket: TicketSlaFacts, now: Date): SlaClock {
    return (policy.pauseStatuses as string[]).includes(ticket.status) ? clock.pause(now) : clock.resume(now);
  }

  /** A clock moved from `previous`'s settings to `policy`'s and its target, keeping the time spent, then following the ticket's status. */
  private onPolicy(state: SlaClockState, previous: SlaPolicy | undefined, policy: SlaPolicy, minutes: number, ticket: TicketSlaFacts, now: Date): SlaClock {
    return this.followStatus(rebaseClock(this.settingsOf(previous), this.settingsOf(policy), state, minutes, now), policy, ticket, now);
  }

  /** Targets the policy sets that the ticket never had: counted from the ticket's creation. */
  private missingTargets(ticket: TicketSlaFacts, policy: SlaPolicy, open: SlaTarget[], everTargeted: ReadonlySet<SlaTargetKind>, now: Date): TargetWrite[] {
    const missing: TargetWrite[] = [];
    for (const kind of TICKET_KINDS) {
      const minutes = targetMinutes(policy, ticket.priority, kind);
      if (!minutes || everTargeted.has(kind) || open.some((target) => target.kind === kind)) continue;
      if (kind === 'first_reply' && ticket.firstReplyAt) continue;
      const started = SlaClock.start(this.settingsOf(policy), minutes, ticket.createdAt);
      missing.push({ ...this.withClock({ decidedAt: null }, this.followStatus(started, policy, ticket, now)), ticketId: ticket.id, policyId: policy.id, kind, createdAt: now });
    }
    return missing;
  }

  private withClock<T extends { decidedAt: Date | null }>(target: T, clock: SlaClock): T & SlaClockState {
    const decidedAt = target.decidedAt ?? clock.achievedAt;
    return { ...target, ...clock.toState(), decidedAt };
  }

  /** A timeline entry written by the system. */
  private timelineEvent(ticketId: string, type: string, data: TicketEvent['data'], createdAt: Date): Partial<TicketEvent> {
    return { ticketId, type, actorType: SYSTEM.type, actorId: SYSTEM.id, data, createdAt };
  }

  private async recordFired(type: 'sla.warning' | 'sla.breached', targets: ClaimedTarget[], manager: EntityManager, raise: Raise): Promise<void> {
    const createdAt = this.clock.now();
    const timeline = targets.map((target) => this.timelineEvent(target.ticketId, type, { targetId: target.id, kind: target.kind, dueAt: target.dueAt.toISOString() }, createdAt));
    await this.repository.insertTimelineEvents(timeline, manager);
    for (const target of targets) raise({ name: type, payload: { ticketId: target.ticketId, targetId: target.id, kind: target.kind, dueAt: target.dueAt.toISOString() } });
  }

  /** Raises priority and reassigns as breached targets' policies ask; each change is on the timeline as the system's. */
  async applyEscalations(escalations: EscalateJob['escalations']): Promise<void> {
    for (const { ticketId, raisePriority, reassignTeamId } of escalations) {
      await this.outbox.transaction(async (manager, raise) => {
        const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
        if (!ticket) return;
        const priority = raisePriority && ticket.priority === raisePriority.from ? { priority: raisePriority.to } : {};
        const { eventIds, changed } = await this.tickets.applyChanges(ticket, { ...priority, ...(reassignTeamId ? { teamId: reassignTeamId } : {}) }, SYSTEM, manager);
        if (!changed.length) return;
        raise({ name: 'ticket.updated', payload: { ticketId, eventIds, changed } });
        raise({ name: 'sla.escalated', payload: { ticketId, eventIds } });
      });
    }
  }

  /** Each breached target's policy escalation: ticket changes in a job (leads hear of the breach itself from notifications/); whether one was queued. */
  private async escalate(targets: ClaimedTarget[], policies: SlaPolicy[], manager: EntityManager): Promise<boolean> {
    const escalated = targets.flatMap((target) => {
      const escalation = policies.find((policy) => policy.id === target.policyId)?.escalation;
      return escalation ? [{ target, escalation }] : [];
    });
    const changes: EscalateJob['escalations'] = escalated
      .filter(({ escalation }) => escalation.raisePriority || escalation.reassignTeamId)
      .map(({ target, escalation }) => ({
        ticketId: target.ticketId,
        raisePriority: escalation.raisePriority ? { from: target.priority, to: raisedPriority(target.priority) } : null,
        reassignTeamId: escalation.reassignTeamId,
      }));
    if (changes.length) await this.jobs.send<EscalateJob>(ESCALATE_QUEUE, { escalations: changes }, { manager });
    return changes.length > 0;
  }
}

type Raise = (event: DomainEvent) => void;

/** Tickets whose targets changed: one `sla.updated` each. */
function announce(ticketIds: string[], raise: Raise): void {
  for (const ticketId of ticketIds) raise({ name: 'sla.updated', payload: { ticketId } });
}
