import { Injectable } from '@nestjs/common';
import type { SubscriptionEventType } from '../../../contracts/customers';
import type { ExitGoal } from '../../../contracts/journeys';
import { Clock } from '../common/clock';
import { JobsService } from '../jobs/jobs.service';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService, type Actor } from '../tickets/tickets.service';
import { DUE_PASS_QUEUE } from './journey-engine.service';
import { JourneyEngineRepository } from './journey-engine.repository';
import type { Journey } from './journey.entity';

const JOURNEY_ACTOR: Actor = { type: 'system', id: null };
/** Inbound mail with these flags was not typed by the customer: it neither starts nor ends journeys. */
const NOISE_FLAGS = new Set(['auto_reply', 'bulk', 'bounce']);
const GOAL_OF_EVENT: Partial<Record<SubscriptionEventType, ExitGoal>> = { reactivated: 'reactivated', cancelled: 'cancelled', renewed: 'renewed' };

/**
 * Reacts to what happens in the inbox and the subscription: ticket triggers enroll customers, answers to
 * care emails are linked to their journey, and exit goals end journeys at once. (Scheduled triggers and a
 * durable re-check of every goal are the due pass's work.)
 */
@Injectable()
export class JourneyTriggers {
  constructor(
    private readonly repository: JourneyEngineRepository,
    private readonly tickets: TicketsService,
    private readonly ticketRepository: TicketRepository,
    private readonly jobs: JobsService,
    private readonly clock: Clock,
  ) {}

  /** A customer in the first cycle of an active subscription wrote in. */
  async onTicketCreated(ticketId: string): Promise<void> {
    const ticket = await this.ticketRepository.findById(ticketId);
    const customer = ticket?.customer;
    if (!ticket || !customer || customer.subscriptionStatus !== 'active' || customer.currentCycle !== 1) return;
    const [first] = await this.ticketRepository.messages(ticketId);
    if (first?.direction !== 'inbound' || first.flags.some((flag) => NOISE_FLAGS.has(flag))) return;
    const journeys = (await this.repository.activeJourneys()).filter((journey) => journey.trigger.type === 'first_cycle_ticket');
    await this.enroll(journeys, customer.id, `ticket:${ticketId}`, ticketId);
  }

  async onTicketTagged(ticketId: string, eventIds: string[]): Promise<void> {
    const added = (await this.ticketRepository.findEvents(eventIds)).filter((event) => event.type === 'tags.changed').flatMap((event) => (event.data.added as string[] | undefined) ?? []);
    if (added.length === 0) return;
    const ticket = await this.ticketRepository.findById(ticketId);
    if (!ticket?.customerId) return;
    for (const journey of await this.repository.activeJourneys()) {
      if (journey.trigger.type === 'ticket_tagged' && added.includes(journey.trigger.tag)) await this.enroll([journey], ticket.customerId, `ticket:${ticketId}:tag:${journey.trigger.tag}`, ticketId);
    }
  }

  /** An inbound message: when it answers a care email, the ticket shows the journey; the `replied` goal is reached. */
  async onMessageCreated(ticketId: string, messageId: string): Promise<void> {
    const message = await this.ticketRepository.findMessage(messageId);
    if (message?.direction !== 'inbound' || message.flags.some((flag) => NOISE_FLAGS.has(flag))) return;
    const answered = await this.repository.findTouchByMessageIds([message.inReplyTo, ...message.references].filter((id): id is string => Boolean(id)));
    if (answered && (await this.repository.markReplied(answered.id, ticketId, message.createdAt))) {
      await this.repository.transaction((manager) =>
        this.tickets.addEvent(
          ticketId,
          'journey.reply',
          JOURNEY_ACTOR,
          { journeyId: answered.journeyId, journeyName: answered.journey?.name ?? null, touchId: answered.id, subject: answered.subject, sentAt: answered.sentAt?.toISOString() ?? null },
          manager,
        ),
      );
    }
    const ticket = await this.ticketRepository.findById(ticketId);
    if (ticket?.customerId) await this.repository.exitForGoal(ticket.customerId, 'replied', message.createdAt, this.clock.now());
  }

  async onSubscriptionRecorded(customerId: string, type: SubscriptionEventType): Promise<void> {
    const goal = GOAL_OF_EVENT[type];
    const now = this.clock.now();
    if (goal) await this.repository.exitForGoal(customerId, goal, now, now);
    // A skip may complete a streak a journey waits for: look now rather than at the next scheduled pass.
    await this.requestPass();
  }

  async requestPass(): Promise<void> {
    await this.jobs.send(DUE_PASS_QUEUE, {});
    this.jobs.nudge(DUE_PASS_QUEUE);
  }

  private async enroll(journeys: Journey[], customerId: string, occurrenceKey: string, ticketId: string): Promise<void> {
    if (journeys.length === 0) return;
    const now = this.clock.now();
    let entered = false;
    for (const journey of journeys) {
      await this.repository.transaction(async (manager) => {
        if (!(await this.repository.enrollOne(journey, customerId, occurrenceKey, ticketId, now, manager))) return;
        await this.tickets.addEvent(ticketId, 'journey.entered', JOURNEY_ACTOR, { journeyId: journey.id, journeyName: journey.name }, manager);
        entered = true;
      });
    }
    if (entered) await this.requestPass();
  }
}
