import { Injectable, Logger } from '@nestjs/common';
import type { SubscriptionEventType } from '../../../contracts/customers';
import type { ExitGoal } from '../../../contracts/journeys';
import { Clock } from '../common/clock';
import { JobsService } from '../jobs/jobs.service';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { DUE_PASS_QUEUE } from './journey-engine.service';
import { JourneyEngineRepository } from './journey-engine.repository';
import type { CareTouch } from './care-touch.entity';
import type { Journey } from './journey.entity';

const JOURNEY_ACTOR: Actor = { type: 'system', id: null };
/** Inbound mail with these flags was not typed by the customer: it neither starts nor ends journeys. */
const NOISE_FLAGS = new Set(['auto_reply', 'bulk', 'bounce']);
/** Typed by the customer: inbound, and no auto-reply, bulk mail or bounce. */
const typedByCustomer = (message: { direction: string; flags: string[] } | null): boolean => message?.direction === 'inbound' && !message.flags.some((flag) => NOISE_FLAGS.has(flag));

interface Enrollment {
  journey: Journey;
  customerId: string;
  occurrenceKey: string;
  ticketId: string;
}

const GOAL_OF_EVENT: Partial<Record<SubscriptionEventType, ExitGoal>> = { reactivated: 'reactivated', cancelled: 'cancelled', renewed: 'renewed' };

/**
 * Reacts to what happens in the inbox and the subscription: ticket triggers enroll customers, answers to
 * care emails are linked to their journey, and exit goals end journeys at once. (Scheduled triggers and a
 * durable re-check of every goal are the due pass's work.)
 */
@Injectable()
export class JourneyTriggers {
  private readonly logger = new Logger('Journeys');

  constructor(
    private readonly repository: JourneyEngineRepository,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  /**
   * New tickets: a customer in the first cycle of an active subscription wrote in. Set-wise for a batch of
   * tickets (the active journeys, then the tickets with their customers and first messages: two queries);
   * per ticket only the enrolling.
   */
  async onTicketsCreated(ticketIds: string[]): Promise<void> {
    if (ticketIds.length === 0) return;
    const journeys = (await this.repository.activeJourneys()).filter((journey) => journey.trigger.type === 'first_cycle_ticket');
    if (journeys.length === 0) return;
    const tickets = await this.repository.triggerTickets(ticketIds);
    await this.enroll(
      ticketIds.flatMap((ticketId) => {
        const ticket = tickets.get(ticketId);
        const customerId = ticket?.customerId;
        if (!customerId || ticket.subscriptionStatus !== 'active' || ticket.currentCycle !== 1 || !typedByCustomer(ticket.firstMessage)) return [];
        return journeys.map((journey) => ({ journey, customerId, occurrenceKey: `ticket:${ticketId}`, ticketId }));
      }),
    );
  }

  /** Tickets whose tags changed: the tags added start `ticket_tagged` journeys (three queries for the batch). */
  async onTicketsTagged(changes: { ticketId: string; eventIds: string[] }[]): Promise<void> {
    if (changes.length === 0) return;
    const journeys = (await this.repository.activeJourneys()).filter((journey) => journey.trigger.type === 'ticket_tagged');
    if (journeys.length === 0) return;
    const events = new Map((await this.ticketRepository.findEvents(changes.flatMap((change) => change.eventIds))).map((event) => [event.id, event]));
    const tagged = changes
      .map(({ ticketId, eventIds }) => ({
        ticketId,
        added: eventIds.flatMap((id) => {
          const event = events.get(id);
          return event?.type === 'tags.changed' ? ((event.data.added as string[] | undefined) ?? []) : [];
        }),
      }))
      .filter(({ added }) => added.length > 0);
    if (tagged.length === 0) return;
    const tickets = await this.repository.triggerTickets(tagged.map(({ ticketId }) => ticketId));
    await this.enroll(
      tagged.flatMap(({ ticketId, added }) => {
        const customerId = tickets.get(ticketId)?.customerId;
        if (!customerId) return [];
        return journeys.flatMap((journey) =>
          journey.trigger.type === 'ticket_tagged' && added.includes(journey.trigger.tag) ? [{ journey, customerId, occurrenceKey: `ticket:${ticketId}:tag:${journey.trigger.tag}`, ticketId }] : [],
        );
      }),
    );
  }

  /**
   * Inbound messages: one that answers a care email shows the journey on its ticket, and every one reaches the
   * `replied` goal of its customer's journeys. For a batch: the messages, the care emails they answer and their
   * tickets' customers in three queries, the goal in one UPDATE; per reply only the marking of its care email.
   */
  async onMessagesCreated(created: { ticketId: string; messageId: string }[]): Promise<void> {
    if (created.length === 0) return;
    const messages = await this.repository.replyFacts(created.map(({ messageId }) => messageId));
    const replies = created.flatMap(({ ticketId, messageId }) => {
      const message = messages.get(messageId);
      return message && typedByCustomer(message) ? [{ ticketId, message, answers: [message.inReplyTo, ...message.references].filter((id): id is string => Boolean(id)) }] : [];
    });
    if (replies.length === 0) return;
    const touches = await this.repository.findTouchesByMessageIds(replies.flatMap(({ answers }) => answers));
    await this.each(replies, async ({ ticketId, message, answers }) => {
      // Newest first, as a reply naming several care emails answers the latest of them.
      const answered = touches.find((touch) => answers.includes(touch.messageId));
      if (answered) await this.recordReply(answered, ticketId, message.createdAt);
    });
    const tickets = await this.repository.triggerTickets(replies.map(({ ticketId }) => ticketId));
    const reached = replies.flatMap(({ ticketId, message }) => {
      const customerId = tickets.get(ticketId)?.customerId;
      return customerId ? [{ customerId, before: message.createdAt }] : [];
    });
    await this.repository.exitForGoal('replied', reached, this.clock.now());
  }

  async onSubscriptionRecorded(customerId: string, type: SubscriptionEventType): Promise<void> {
    const goal = GOAL_OF_EVENT[type];
    const now = this.clock.now();
    if (goal) await this.repository.exitForGoal(goal, [{ customerId, before: now }], now);
    // A skip may complete a streak a journey waits for: look now rather than at the next scheduled pass.
    await this.requestPass();
  }

  async requestPass(): Promise<void> {
    await this.jobs.send(DUE_PASS_QUEUE, {});
    this.jobs.nudge(DUE_PASS_QUEUE);
  }

  /** The first reply to a care email is recorded on the care email and on the reply's ticket. */
  private async recordReply(touch: CareTouch & { journey: Journey | null }, ticketId: string, at: Date): Promise<void> {
    if (!(await this.repository.markReplied(touch.id, ticketId, at))) return;
    await this.repository.transaction((manager) =>
      this.tickets.addEvent(
        ticketId,
        'journey.reply',
        JOURNEY_ACTOR,
        { journeyId: touch.journeyId, journeyName: touch.journey?.name ?? null, touchId: touch.id, subject: touch.subject, sentAt: touch.sentAt?.toISOString() ?? null },
        manager,
      ),
    );
  }

  /** Each enrollment in its own transaction, with its ticket's timeline entry; one due pass for all who entered. */
  private async enroll(enrollments: Enrollment[]): Promise<void> {
    if (enrollments.length === 0) return;
    const now = this.clock.now();
    let entered = false;
    await this.each(enrollments, ({ journey, customerId, occurrenceKey, ticketId }) =>
      this.repository.transaction(async (manager) => {
        const enrolled = await this.repository.enrollOne(journey, customerId, occurrenceKey, ticketId, now, manager);
        if (!enrolled || enrolled.heldOut) return;
        await this.tickets.addEvent(ticketId, 'journey.entered', JOURNEY_ACTOR, { journeyId: journey.id, journeyName: journey.name }, manager);
        entered = true;
      }),
    );
    if (entered) await this.requestPass();
  }

  /** One item's failure is logged and does not keep the rest of its batch from being dealt with, as when events came one at a time. */
  private async each<T>(items: T[], work: (item: T) => Promise<void>): Promise<void> {
    for (const item of items) {
      await work(item).catch((error: unknown) => this.logger.error(`journey reaction failed: ${error instanceof Error ? error.stack : String(error)}`));
    }
  }
}
