import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { ExitGoal, JourneyStep, JourneyTriggerType } from '../../../contracts/journeys';
import { Clock } from '../common/clock';
import type { DomainEvent } from '../common/domain-events';
import { OutboxService } from '../outbox/outbox.service';
import type { Customer } from '../customers/customer.entity';
import { JobsService } from '../jobs/jobs.service';
import type { Mailbox } from '../mail/mailbox.entity';
import { MailboxRepository } from '../mail/mailbox.repository';
import { ThreadMarkers } from '../mail/thread-marker';
import type { TicketEvent } from '../tickets/ticket-event.entity';
import { SurveysService } from '../reports/surveys/surveys.service';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import type { CareSettings } from './care-settings.entity';
import { CareSettingsService } from './care-settings.service';
import { CareTemplates, type TemplateScope } from './care-templates';
import type { CareTouch } from './care-touch.entity';
import type { JourneyEnrollment } from './journey-enrollment.entity';
import { JourneyEngineRepository, type EnrollmentUpdate, type SourceTicket } from './journey-engine.repository';
import { capReleasedAt, conditionHolds, sendableAt, stepAfter, waitUntil } from './journey-rules';
import type { JourneyStepRun, StepOutcome } from './journey-step-run.entity';
import type { Journey } from './journey.entity';
import { UnsubscribeTokens } from './unsubscribe-token';

/** The engine's durable jobs: the due pass (cron and on demand) and the care email sender. */
export const DUE_PASS_QUEUE = 'journeys.due-pass';
export const CARE_SEND_QUEUE = 'journeys.send';

/** Enrollments claimed per transaction: writes go in bulk, so bigger batches mean fewer round trips per step. */
const CLAIM_BATCH = 500;
const MAX_FAILURES = 5;
const FAILURE_RETRY_MS = 15 * 60_000;
/** Each scan looks this far behind the last one, so data committed while the previous scan ran is still seen. */
const RESCAN_OVERLAP_MS = 10 * 60_000;
const WEEK_MS = 7 * 86_400_000;
const SCHEDULED_TRIGGERS = new Set<JourneyTriggerType>(['subscription_day', 'before_renewal', 'after_cancellation', 'skipped_cycles', 'low_satisfaction', 'nps_detractor']);
const JOURNEY_ACTOR: Actor = { type: 'system', id: null };

/** What a claimed batch owes once it commits: the domain events it raised, and workers to wake. */
interface AfterCommit {
  raised: DomainEvent[];
  nudges: (() => void)[];
}

interface BatchFacts {
  settings: CareSettings;
  customers: Map<string, Customer>;
  unsubscribed: Set<string>;
  withOpenTicket: Set<string>;
  tickets: Map<string, SourceTicket & { tags: string[]; lastMessageId: string | null }>;
  recentEmails: Map<string, Date[]>;
  goals: Map<string, ExitGoal>;
  mailboxes: Map<string, Mailbox | null>;
}

/** What one claimed enrollment's step comes to; written for the whole batch at once. */
interface StepWork {
  enrollment: JourneyEnrollment;
  journey: Journey;
  update: EnrollmentUpdate;
  run?: Omit<JourneyStepRun, 'id' | 'enrollment'>;
  touch?: Partial<CareTouch>;
  task?: { title: string; body: string; assigneeId: string | null };
  tag?: string;
  /** An NPS survey to schedule, from this mailbox. */
  survey?: { mailboxId: string };
  timeline?: { type: string; data: Record<string, unknown> };
}

export interface PassResult {
  enrolled: number;
  claimed: number;
}

/**
 * Runs journeys: a pass (driven by the job queue, with the injected clock) enrolls customers whose scheduled
 * triggers occurred and then claims due enrollments with FOR UPDATE SKIP LOCKED. Each claimed enrollment runs
 * one step; the step run (unique per enrollment and step), the care email, the next due time and the send job
 * are written in the claiming transaction, so a step happens exactly once across crashes and instances.
 */
@Injectable()
export class JourneyEngine {
  private readonly logger = new Logger('Journeys');

  constructor(
    private readonly repository: JourneyEngineRepository,
    private readonly settings: CareSettingsService,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly mailboxes: MailboxRepository,
    private readonly templates: CareTemplates,
    private readonly tokens: UnsubscribeTokens,
    private readonly jobs: JobsService,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly markers: ThreadMarkers,
    private readonly surveys: SurveysService,
  ) {}

  async runDue(): Promise<PassResult> {
    const now = this.clock.now();
    const enrolled = await this.enrollScheduled(now);
    // Until nothing is due: a step that finishes at once makes the next one due in this same pass.
    let claimed = 0;
    for (let batch = await this.runBatch(now); batch > 0; batch = await this.runBatch(now)) claimed += batch;
    if (await this.repository.hasSendableTouches()) await this.requestSending();
    return { enrolled, claimed };
  }

  /** Wakes a sender for queued care emails (also those a crashed instance's job left behind). */
  async requestSending(manager?: EntityManager): Promise<void> {
    await this.jobs.send(CARE_SEND_QUEUE, {}, { manager });
    if (!manager) this.jobs.nudge(CARE_SEND_QUEUE);
  }

  private async enrollScheduled(now: Date): Promise<number> {
    let enrolled = 0;
    for (const journey of await this.repository.activeJourneys()) {
      if (!SCHEDULED_TRIGGERS.has(journey.trigger.type)) continue;
      enrolled += await this.repository.transaction(async (manager) => {
        const locked = await this.repository.lockJourneyForScan(journey.id, manager);
        if (!locked?.activatedAt) return 0;
        const resumeFrom = locked.scannedUntil ? locked.scannedUntil.getTime() - RESCAN_OVERLAP_MS : 0;
        const from = new Date(Math.max(locked.activatedAt.getTime(), resumeFrom));
        if (from >= now) return 0;
        const count = await this.repository.enrollScheduled(locked, from, now, manager);
        await this.repository.setScannedUntil(locked.id, now, manager);
        return count;
      });
    }
    return enrolled;
  }

  /** Claims and runs one batch; a batch that fails as a whole is retried one enrollment at a time. */
  private async runBatch(now: Date): Promise<number> {
    try {
      return await this.claimAndRun(now, CLAIM_BATCH);
    } catch (error) {
      this.logger.warn(`a batch of journey steps failed (${String(error)}); retrying one by one`);
    }
    let claimed = 0;
    while (claimed < CLAIM_BATCH) {
      const one = await this.claimAndRun(now, 1);
      if (one === 0) break;
      claimed += one;
    }
    return claimed;
  }

  /** One enrollment alone runs inside a savepoint, so a step that cannot be written is counted as a failure instead. */
  private async claimAndRun(now: Date, limit: number): Promise<number> {
    const afterCommit: AfterCommit = { raised: [], nudges: [] };
    const claimed = await this.outbox.transaction(async (manager, raise) => {
      const enrollments = await this.repository.claimDue(now, limit, manager);
      if (enrollments.length === 0) return 0;
      if (limit > 1) {
        await this.runClaimed(enrollments, now, manager, afterCommit);
      } else {
        try {
          await manager.transaction((savepoint) => this.runClaimed(enrollments, now, savepoint, afterCommit));
        } catch (error) {
          afterCommit.raised.length = 0;
          afterCommit.nudges.length = 0;
          await this.recordFailure(enrollments[0], now, error, manager);
        }
      }
      afterCommit.raised.forEach(raise);
      return enrollments.length;
    });
    for (const nudge of afterCommit.nudges) nudge();
    return claimed;
  }

  private async runClaimed(enrollments: JourneyEnrollment[], now: Date, manager: EntityManager, afterCommit: AfterCommit): Promise<void> {
    const journeys = new Map((await this.repository.findJourneys([...new Set(enrollments.map((e) => e.journeyId))], manager)).map((j) => [j.id, j]));
    const facts = await this.gatherFacts(enrollments, journeys, now, manager);
    const work = enrollments.map((enrollment) => this.decide(enrollment, journeys.get(enrollment.journeyId) as Journey, facts, now));
    await this.write(work, facts, now, manager, afterCommit);
  }

  /** A step that keeps failing to be written: counted, retried later, given up after a few tries. */
  private async recordFailure(enrollment: JourneyEnrollment, now: Date, error: unknown, manager: EntityManager): Promise<void> {
    const failures = enrollment.failures + 1;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error(`journey enrollment ${enrollment.id}, step ${enrollment.nextStepId}: ${reason}`);
    const giveUp = failures >= MAX_FAILURES;
    await this.repository.updateEnrollments(
      [
        {
          id: enrollment.id,
          state: giveUp ? 'failed' : 'active',
          nextStepId: giveUp ? null : enrollment.nextStepId,
          dueAt: giveUp ? null : new Date(now.getTime() + FAILURE_RETRY_MS),
          exitReason: giveUp ? reason.slice(0, 500) : null,
          failures,
          finishedAt: giveUp ? now : null,
        },
      ],
      manager,
    );
  }

  private async gatherFacts(enrollments: JourneyEnrollment[], journeys: Map<string, Journey>, now: Date, manager: EntityManager): Promise<BatchFacts> {
    const customerIds = [...new Set(enrollments.map((e) => e.customerId))];
    const ticketIds = [...new Set(enrollments.flatMap((e) => (e.ticketId ? [e.ticketId] : [])))];
    const emailing = enrollments.filter((e) => journeys.get(e.journeyId)?.steps.find((step) => step.id === e.nextStepId)?.type === 'email');
    // Taken before reading recent emails, so the weekly cap counts what concurrent passes are writing.
    await this.repository.lockCustomers(
      emailing.map((e) => e.customerId),
      manager,
    );
    // One after another: they share the transaction's connection.
    const settings = await this.settings.get();
    const customers = await this.repository.customers(customerIds, manager);
    const unsubscribed = await this.repository.unsubscribed(customerIds, manager);
    const withOpenTicket = await this.repository.withOpenTicket(customerIds, manager);
    const tickets = await this.repository.tickets(ticketIds, manager);
    const tagNames = await this.ticketRepository.tagNames(ticketIds, manager);
    const recentEmails = await this.repository.recentEmails([...new Set(emailing.map((e) => e.customerId))], new Date(now.getTime() - WEEK_MS), manager);
    const goals = await this.repository.reachedGoals(
      enrollments.map((e) => e.id),
      manager,
    );
    const emailTickets = new Set(emailing.flatMap((e) => (e.ticketId ? [e.ticketId] : [])));
    const lastMessages = new Map<string, string | null>();
    for (const ticketId of emailTickets) lastMessages.set(ticketId, (await this.ticketRepository.lastEmail(ticketId, manager))?.messageId ?? null);
    const mailboxes = new Map<string, Mailbox | null>();
    const all = [...journeys.values()].some((journey) => !journey.mailboxId) ? await this.mailboxes.findAll() : [];
    for (const journey of journeys.values()) {
      mailboxes.set(journey.id, journey.mailboxId ? await this.mailboxes.findById(journey.mailboxId) : (all.find((mailbox) => mailbox.isActive) ?? null));
    }
    return {
      settings,
      customers: new Map(customers.map((customer) => [customer.id, customer])),
      unsubscribed,
      withOpenTicket,
      tickets: new Map([...tickets].map(([id, ticket]) => [id, { ...ticket, tags: tagNames.get(id) ?? [], lastMessageId: lastMessages.get(id) ?? null }])),
      recentEmails,
      goals,
      mailboxes,
    };
  }

  /** Decides one enrollment's step from the batch's facts; nothing is written here. */
  private decide(enrollment: JourneyEnrollment, journey: Journey, facts: BatchFacts, now: Date): StepWork {
    const current: EnrollmentUpdate = { id: enrollment.id, state: 'active', nextStepId: enrollment.nextStepId, dueAt: enrollment.dueAt, exitReason: null, failures: enrollment.failures, finishedAt: null };
    const finish = (state: EnrollmentUpdate['state'], exitReason: string | null): StepWork => ({
      enrollment,
      journey,
      update: { ...current, state, exitReason, nextStepId: null, dueAt: null, finishedAt: now },
    });
    const goal = facts.goals.get(enrollment.id);
    if (goal) return finish('exited', goal);
    if (facts.unsubscribed.has(enrollment.customerId)) return finish('exited', 'unsubscribed');
    const customer = facts.customers.get(enrollment.customerId);
    const index = journey.steps.findIndex((step) => step.id === enrollment.nextStepId);
    // A step removed by an edit while customers waited on it ends their way through the journey.
    if (!customer || index < 0) return finish('completed', null);
    const step = journey.steps[index];
    const advance = (target: string = 'next', dueAt: Date = now): EnrollmentUpdate => {
      const next = stepAfter(journey.steps, index, target);
      return next ? { ...current, nextStepId: next, dueAt } : { ...current, state: 'completed', nextStepId: null, dueAt: null, finishedAt: now };
    };
    const run = (outcome: StepOutcome, detail: Record<string, unknown>): StepWork['run'] => ({
      enrollmentId: enrollment.id,
      journeyId: journey.id,
      stepId: step.id,
      stepType: step.type,
      outcome,
      detail,
      createdAt: now,
    });
    const zone = customer.timeZone ?? facts.settings.defaultTimeZone;
    const ticket = enrollment.ticketId ? (facts.tickets.get(enrollment.ticketId) ?? null) : null;
    try {
      switch (step.type) {
        case 'wait': {
          const until = waitUntil(step.wait, now, zone, customer.nextRenewalAt);
          return { enrollment, journey, update: advance('next', until), run: run('done', { until: until.toISOString() }) };
        }
        case 'branch': {
          const holds = conditionHolds(step.condition, {
            subscriptionStatus: customer.subscriptionStatus,
            plan: customer.plan,
            currentCycle: customer.currentCycle,
            skippedCycles: customer.skippedCycles,
            lifetimeValue: Number(customer.lifetimeValue),
            customerTags: customer.tags,
            hasOpenTicket: facts.withOpenTicket.has(customer.id),
            ticketStatus: ticket?.status ?? null,
            ticketTags: ticket?.tags ?? [],
          });
          return { enrollment, journey, update: advance(holds ? step.ifTrue : step.ifFalse), run: run('done', { result: holds }) };
        }
        case 'tag':
          return { enrollment, journey, update: advance(), run: run('done', { tag: step.tag }), tag: step.tag };
        case 'task': {
          const scope = this.scope(customer, ticket, journey, facts, null);
          const task = { title: this.templates.render(step.title, scope), body: this.templates.render(step.body, scope), assigneeId: step.assigneeId ?? journey.ownerId };
          return { enrollment, journey, update: advance(), run: run('done', { title: task.title }), task };
        }
        case 'nps_survey': {
          // The survey pass sends it, minding unsubscribes and the weekly cap as for any care email.
          const mailbox = facts.mailboxes.get(journey.id);
          if (!mailbox) throw new Error('the journey has no mailbox to send from');
          return { enrollment, journey, update: advance(), run: run('done', { survey: 'nps' }), survey: { mailboxId: mailbox.id } };
        }
        case 'email':
          return this.decideEmail(step, { enrollment, journey, customer, ticket, facts, now, zone, current, advance, run });
      }
    } catch (error) {
      const failures = enrollment.failures + 1;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.warn(`journey ${journey.id}, enrollment ${enrollment.id}, step ${step.id}: ${reason}`);
      if (failures >= MAX_FAILURES) return finish('failed', reason.slice(0, 500));
      return { enrollment, journey, update: { ...current, failures, dueAt: new Date(now.getTime() + FAILURE_RETRY_MS) } };
    }
  }

  private decideEmail(
    step: Extract<JourneyStep, { type: 'email' }>,
    context: {
      enrollment: JourneyEnrollment;
      journey: Journey;
      customer: Customer;
      ticket: (SourceTicket & { lastMessageId: string | null }) | null;
      facts: BatchFacts;
      now: Date;
      zone: string;
      current: EnrollmentUpdate;
      advance: () => EnrollmentUpdate;
      run: (outcome: StepOutcome, detail: Record<string, unknown>) => StepWork['run'];
    },
  ): StepWork {
    const { enrollment, journey, customer, ticket, facts, now, zone, current, advance, run } = context;
    if (step.marketing && !journey.sendWhileTicketOpen && facts.withOpenTicket.has(customer.id)) {
      return { enrollment, journey, update: advance(), run: run('skipped', { reason: 'open_ticket' }) };
    }
    // Deferred, not skipped: the step runs when quiet hours end or the weekly cap frees a place.
    const quietUntil = sendableAt(now, zone, { start: facts.settings.quietHoursStart, end: facts.settings.quietHoursEnd });
    if (quietUntil > now) return { enrollment, journey, update: { ...current, dueAt: quietUntil } };
    const recent = facts.recentEmails.get(customer.id) ?? [];
    const capFreesAt = capReleasedAt(recent, facts.settings.weeklyEmailCap, now);
    if (capFreesAt) return { enrollment, journey, update: { ...current, dueAt: capFreesAt } };
    const mailbox = facts.mailboxes.get(journey.id);
    if (!mailbox) throw new Error('the journey has no mailbox to send from');

    const touchId = randomUUID();
    const scope = this.scope(customer, ticket, journey, facts, touchId, mailbox);
    const subject = this.templates.render(step.subject, scope).replace(/\s+/g, ' ').trim();
    const body = `${this.templates.render(step.body, scope).trim()}\n\n--\nNo longer want these emails? Unsubscribe: ${scope.links.unsubscribe}\n`;
    const domain = mailbox.address.slice(mailbox.address.lastIndexOf('@') + 1);
    // Threaded into the ticket that started the journey, so the customer's answer joins it; otherwise an answer opens a ticket.
    const references = ticket ? [this.markers.ticketReference(ticket.number, mailbox.address), ...(ticket.lastMessageId ? [ticket.lastMessageId] : [])] : [];
    recent.push(now);
    facts.recentEmails.set(customer.id, recent);
    return {
      enrollment,
      journey,
      update: advance(),
      run: run('done', { touchId, subject }),
      touch: {
        id: touchId,
        journeyId: journey.id,
        enrollmentId: enrollment.id,
        stepId: step.id,
        customerId: customer.id,
        mailboxId: mailbox.id,
        ticketId: ticket?.id ?? null,
        fromName: journey.fromName,
        toAddress: customer.email,
        subject,
        body,
        messageId: `careloop-care.${touchId}@${domain}`,
        inReplyTo: ticket?.lastMessageId ?? null,
        references,
        createdAt: now,
      },
      timeline: ticket ? { type: 'journey.email_queued', data: { journeyId: journey.id, journeyName: journey.name, stepId: step.id, touchId, subject } } : undefined,
    };
  }

  private scope(customer: Customer, ticket: SourceTicket | null, journey: Journey, facts: BatchFacts, touchId: string | null, mailbox?: Mailbox): TemplateScope {
    const manage = facts.settings.manageSubscriptionUrl;
    const link = (action: string) => {
      if (!manage) return null;
      const url = new URL(manage);
      url.searchParams.set('action', action);
      url.searchParams.set('customer', customer.externalId ?? customer.email);
      return url.toString();
    };
    return {
      customer,
      ticket: ticket ? { number: ticket.number, subject: ticket.subject } : null,
      links: {
        unsubscribe: touchId ? this.tokens.link({ customerId: customer.id, touchId }) : '',
        skip: link('skip'),
        adjust: link('adjust'),
      },
      sender: { name: journey.fromName ?? mailbox?.name ?? 'The care team' },
    };
  }

  /** Writes a batch's decisions in its transaction: tasks and tags first (they make ids the runs record), then rows in bulk. */
  private async write(work: StepWork[], facts: BatchFacts, now: Date, manager: EntityManager, afterCommit: AfterCommit): Promise<void> {
    const timeline: Partial<TicketEvent>[] = [];
    for (const item of work) {
      const ticketId = item.enrollment.ticketId;
      if (item.task && item.run) {
        const customer = facts.customers.get(item.enrollment.customerId);
        const { ticket } = await this.tickets.openTicketWithMessage(
          { subject: item.task.title, assigneeId: item.task.assigneeId, status: 'open', awaitingRouting: true },
          { direction: 'note', bodyText: `${item.task.body}\n\nCustomer: ${customer?.name ?? ''} <${customer?.email ?? ''}>`.trim() },
          manager,
        );
        timeline.push(this.tickets.timelineEntry(ticket.id, 'ticket.created', JOURNEY_ACTOR, { via: 'journey', journeyId: item.journey.id, journeyName: item.journey.name }));
        item.run.detail = { ...item.run.detail, ticketId: ticket.id, ticketNumber: ticket.number };
        if (ticketId) timeline.push(this.tickets.timelineEntry(ticketId, 'journey.task_created', JOURNEY_ACTOR, { journeyId: item.journey.id, journeyName: item.journey.name, taskTicketNumber: ticket.number }));
        afterCommit.raised.push({ name: 'ticket.created', payload: { ticketId: ticket.id } });
      }
      if (item.tag) {
        await this.repository.addCustomerTag(item.enrollment.customerId, item.tag, manager);
        const locked = ticketId ? await this.ticketRepository.findForUpdate(ticketId, manager) : null;
        if (locked) {
          const current = (await this.ticketRepository.tagNames([locked.id], manager)).get(locked.id) ?? [];
          const { eventIds, changed } = await this.tickets.applyChanges(locked, { tags: [...current, item.tag] }, JOURNEY_ACTOR, manager);
          if (changed.length) afterCommit.raised.push({ name: 'ticket.updated', payload: { ticketId: locked.id, eventIds, changed } });
        }
      }
      if (item.timeline && ticketId) timeline.push(this.tickets.timelineEntry(ticketId, item.timeline.type, JOURNEY_ACTOR, item.timeline.data));
    }
    const surveys = work.flatMap((item) => (item.survey ? [{ kind: 'nps' as const, customerId: item.enrollment.customerId, mailboxId: item.survey.mailboxId, source: 'journey' as const, dueAt: now }] : []));
    if (surveys.length) await this.surveys.invite(surveys, manager);
    const touches = work.flatMap((item) => (item.touch ? [item.touch] : []));
    await this.repository.insertTouches(touches, manager);
    await this.repository.insertStepRuns(
      work.flatMap((item) => (item.run ? [item.run] : [])),
      manager,
    );
    if (timeline.length) await this.ticketRepository.insertEvents(timeline.map((entry) => ({ ...entry, createdAt: now })), manager);
    await this.repository.updateEnrollments(
      work.map((item) => item.update),
      manager,
    );
    if (touches.length) {
      // In this transaction: the send job exists exactly when the emails do.
      await this.requestSending(manager);
      afterCommit.nudges.push(() => this.jobs.nudge(CARE_SEND_QUEUE));
    }
  }
}
