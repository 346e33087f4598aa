import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { SlaTargetKind } from '../../../contracts/sla';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { TicketRepository } from '../tickets/ticket.repository';
import { JobsService } from '../jobs/jobs.service';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { SlaClock, type BusinessCalendar, type SlaClockState } from './clock';
import { SlaRepository, type ClaimedTarget, type TicketSlaFacts } from './sla.repository';
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

/** A domain event to emit once the transaction that caused it has committed. */
type PendingEmit = () => void;

export interface DuePassResult {
  warnings: number;
  breaches: number;
}

function clockState(target: SlaTarget): SlaClockState {
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
    private readonly events: DomainEvents,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Applies the matching policy to a ticket and its status to the clocks: creates missing targets, moves open
   * ones to a new policy or priority keeping the time spent, pauses, resumes, and achieves on solve.
   */
  async reconcile(ticketId: string): Promise<void> {
    const now = this.clock.now();
    const changed = await this.repository.transaction(async (manager) => {
      const ticket = await this.lockedFacts(ticketId, manager);
      if (!ticket) return false;
      const policies = await this.repository.policies(manager);
      const policy = choosePolicy(policies, ticket);
      const open = await this.repository.openTargets(ticketId, manager);
      const previousPolicyId = open[0]?.policyId ?? null;
      const closed = CLOSED_STATUSES.includes(ticket.status);

      const save: Partial<SlaTarget>[] = [];
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
          next = this.followStatus(unchanged ? current : rebaseClock(this.settingsOf(previous), this.settingsOf(policy), clockState(target), minutes, now), policy, ticket, now);
        }
        const policyId = closed ? target.policyId : policy?.id ?? null;
        if (next !== current || policyId !== target.policyId) save.push({ ...this.withClock(target, next), policyId });
      }
      if (!closed && policy) save.push(...(await this.missingTargets(ticket, policy, open, now, manager)));

      await this.repository.deleteTargets(remove, manager);
      await this.repository.saveTargets(save, manager);
      if (policy && policy.id !== previousPolicyId && save.some((target) => target.policyId === policy.id)) {
        await this.tickets.addEvent(ticketId, 'sla.policy_applied', SYSTEM, { policyId: policy.id, policyName: policy.name, previousPolicyId }, manager);
      }
      return save.length > 0 || remove.length > 0;
    });
    if (changed) this.events.emit('sla.updated', { ticketId });
  }

  /** A customer message waiting for an answer starts a next reply target; an agent's reply achieves reply targets. */
  async onMessage(ticketId: string, messageId: string): Promise<void> {
    const changed = await this.repository.transaction(async (manager) => {
      const ticket = await this.lockedFacts(ticketId, manager);
      const message = await this.repository.findMessage(messageId, manager);
      if (!ticket || !message) return false;
      const open = await this.repository.openTargets(ticketId, manager);
      const policies = await this.repository.policies(manager);

      if (message.direction === 'outbound' && message.authorId) {
        const replies = open.filter((target) => target.kind !== 'resolution');
        const achieved = replies.map((target) => {
          const policy = policies.find((candidate) => candidate.id === target.policyId);
          return this.withClock(target, SlaClock.restore(this.settingsOf(policy), clockState(target)).achieve(message.createdAt));
        });
        await this.repository.saveTargets(achieved, manager);
        return achieved.length > 0;
      }
      const waiting = message.direction === 'inbound' && !message.flags.some((flag) => NOT_WAITING_FLAGS.has(flag));
      // Before the first agent reply the first reply target already covers the customer's wait.
      if (!waiting || !ticket.firstReplyAt || CLOSED_STATUSES.includes(ticket.status) || open.some((target) => target.kind === 'next_reply')) return false;
      const policy = choosePolicy(policies, ticket);
      const minutes = policy && targetMinutes(policy, ticket.priority, 'next_reply');
      if (!policy || !minutes) return false;
      const started = this.followStatus(SlaClock.start(this.settingsOf(policy), minutes, message.createdAt), policy, ticket, this.clock.now());
      await this.repository.saveTargets([{ ...this.withClock({}, started), ticketId, policyId: policy.id, kind: 'next_reply', createdAt: this.clock.now() }], manager);
      return true;
    });
    if (changed) this.events.emit('sla.updated', { ticketId });
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
      const { claimed, pending } = await this.repository.transaction(async (manager) => {
        const targets = await this.repository.claimWarnings(now, CLAIM_BATCH, manager);
        return { claimed: targets.length, pending: await this.recordFired('sla.warning', targets, manager) };
      });
      this.emitAll(pending);
      result.warnings += claimed;
      if (claimed < CLAIM_BATCH) break;
    }
    for (;;) {
      const { claimed, pending } = await this.repository.transaction(async (manager) => {
        const targets = await this.repository.claimBreaches(now, CLAIM_BATCH, manager);
        if (targets.length === 0) return { claimed: 0, pending: [] };
        policies ??= await this.repository.policies(manager);
        const fired = await this.recordFired('sla.breached', targets, manager);
        return { claimed: targets.length, pending: [...fired, ...(await this.escalate(targets, policies, now, manager))] };
      });
      this.emitAll(pending);
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

  private async lockedFacts(ticketId: string, manager: EntityManager): Promise<TicketSlaFacts | null> {
    // Locks the ticket row, so reactions to one ticket and the scheduler's claims never interleave.
    if (!(await this.ticketRepository.findForUpdate(ticketId, manager))) return null;
    return this.repository.ticketFacts(ticketId, manager);
  }

  private settingsOf(policy: SlaPolicy | undefined | null) {
    return clockSettings(policy ?? { warning: null }, toBusinessCalendar(policy?.calendar ?? null));
  }

  private followStatus(clock: SlaClock, policy: SlaPolicy, ticket: TicketSlaFacts, now: Date): SlaClock {
    return (policy.pauseStatuses as string[]).includes(ticket.status) ? clock.pause(now) : clock.resume(now);
  }

  /** Targets the policy sets that the ticket never had: counted from the ticket's creation. */
  private async missingTargets(ticket: TicketSlaFacts, policy: SlaPolicy, open: SlaTarget[], now: Date, manager: EntityManager): Promise<Partial<SlaTarget>[]> {
    const everTargeted = await this.repository.kindsEverTargeted(ticket.id, manager);
    const missing: Partial<SlaTarget>[] = [];
    for (const kind of TICKET_KINDS) {
      const minutes = targetMinutes(policy, ticket.priority, kind);
      if (!minutes || everTargeted.has(kind) || open.some((target) => target.kind === kind)) continue;
      if (kind === 'first_reply' && ticket.firstReplyAt) continue;
      const started = SlaClock.start(this.settingsOf(policy), minutes, ticket.createdAt);
      missing.push({ ...this.withClock({}, this.followStatus(started, policy, ticket, now)), ticketId: ticket.id, policyId: policy.id, kind, createdAt: now });
    }
    return missing;
  }

  private withClock(target: Partial<SlaTarget>, clock: SlaClock): Partial<SlaTarget> {
    const decidedAt = target.decidedAt ?? clock.achievedAt;
    return { ...target, ...clock.toState(), decidedAt };
  }

  private async recordFired(type: 'sla.warning' | 'sla.breached', targets: ClaimedTarget[], manager: EntityManager): Promise<PendingEmit[]> {
    const createdAt = this.clock.now();
    const timeline = targets.map((target) => ({
      ticketId: target.ticketId,
      type,
      actorType: SYSTEM.type,
      actorId: SYSTEM.id,
      data: { targetId: target.id, kind: target.kind, dueAt: target.dueAt.toISOString() },
      createdAt,
    }));
    await this.repository.insertTimelineEvents(timeline, manager);
    return targets.map((target) => () => this.events.emit(type, { ticketId: target.ticketId, targetId: target.id, kind: target.kind, dueAt: target.dueAt.toISOString() }));
  }

  /** Raises priority and reassigns as breached targets' policies ask; each change is on the timeline as the system's. */
  async applyEscalations(escalations: EscalateJob['escalations']): Promise<void> {
    for (const { ticketId, raisePriority, reassignTeamId } of escalations) {
      const result = await this.ticketRepository.transaction(async (manager) => {
        const ticket = await this.ticketRepository.findForUpdate(ticketId, manager);
        if (!ticket) return null;
        const raise = raisePriority && ticket.priority === raisePriority.from ? { priority: raisePriority.to } : {};
        return this.tickets.applyChanges(ticket, { ...raise, ...(reassignTeamId ? { teamId: reassignTeamId } : {}) }, SYSTEM, manager);
      });
      if (result?.changed.length) this.events.emit('ticket.updated', { ticketId, ...result });
    }
  }

  /** Each breached target's policy escalation: lead notifications now, ticket changes in a job. */
  private async escalate(targets: ClaimedTarget[], policies: SlaPolicy[], now: Date, manager: EntityManager): Promise<PendingEmit[]> {
    const escalated = targets.flatMap((target) => {
      const escalation = policies.find((policy) => policy.id === target.policyId)?.escalation;
      return escalation ? [{ target, escalation }] : [];
    });
    const pending: PendingEmit[] = [];
    const notifying = escalated.filter(({ escalation }) => escalation.notifyLead);
    if (notifying.length) {
      const leads = await this.repository.leadsByTeam(notifying.flatMap(({ target }) => (target.teamId ? [target.teamId] : [])));
      const notifications = notifying.flatMap(({ target }) =>
        (leads.get(target.teamId) ?? leads.get(null) ?? []).map((userId) => ({
          userId,
          kind: 'sla.breached',
          data: { ticketId: target.ticketId, targetId: target.id, kind: target.kind, dueAt: target.dueAt.toISOString() },
          createdAt: now,
        })),
      );
      const saved = await this.repository.insertNotifications(notifications, manager);
      pending.push(...saved.map((notification) => () => this.events.emit('notification.created', { userId: notification.userId, notificationId: notification.id })));
    }
    const changes: EscalateJob['escalations'] = escalated
      .filter(({ escalation }) => escalation.raisePriority || escalation.reassignTeamId)
      .map(({ target, escalation }) => ({
        ticketId: target.ticketId,
        raisePriority: escalation.raisePriority ? { from: target.priority, to: raisedPriority(target.priority) } : null,
        reassignTeamId: escalation.reassignTeamId,
      }));
    if (changes.length) {
      await this.jobs.send<EscalateJob>(ESCALATE_QUEUE, { escalations: changes }, { manager });
      pending.push(() => this.jobs.nudge(ESCALATE_QUEUE));
    }
    return pending;
  }

  private emitAll(pending: PendingEmit[]): void {
    for (const emit of pending) emit();
  }
}
