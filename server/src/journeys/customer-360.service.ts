import { Injectable } from '@nestjs/common';
import type { CareTouchDto, Customer360Dto, CustomerJourneyDto } from '../../../contracts/customers';
import type { AuthUser } from '../auth/auth.decorators';
import { CustomersService, toSatisfactionDto } from '../customers/customers.service';
import { SubscriptionRepository } from '../customers/subscription.repository';
import { TicketsService } from '../tickets/tickets.service';
import { JourneyRepository } from './journey.repository';

const TICKETS_SHOWN = 100;

/** Everything Careloop knows about one customer: profile, subscription, tickets, care emails, journeys, satisfaction. */
@Injectable()
export class Customer360Service {
  constructor(
    private readonly customers: CustomersService,
    private readonly subscriptions: SubscriptionRepository,
    private readonly tickets: TicketsService,
    private readonly journeys: JourneyRepository,
  ) {}

  async overview(customerId: string, viewer: AuthUser): Promise<Customer360Dto> {
    const customer = await this.customers.get(customerId);
    const [unsubscribe, events, tickets, touches, enrollments, satisfaction] = await Promise.all([
      this.journeys.findUnsubscribe(customerId),
      this.subscriptions.events(customerId),
      this.tickets.list({ customer: customerId, sort: 'created_desc', limit: TICKETS_SHOWN }, viewer),
      this.journeys.touchesOf(customerId),
      this.journeys.enrollmentsOf(customerId),
      this.subscriptions.satisfaction(customerId),
    ]);
    const runs = await this.journeys.stepRunsOf(enrollments.map((enrollment) => enrollment.id));
    return {
      customer,
      unsubscribedAt: unsubscribe?.createdAt.toISOString() ?? null,
      subscriptionEvents: events.map((event) => ({
        id: event.id,
        eventId: event.eventId,
        type: event.type,
        occurredAt: event.occurredAt.toISOString(),
        receivedAt: event.receivedAt.toISOString(),
        data: event.data,
      })),
      tickets: tickets.items,
      careTouches: touches.map(
        (touch): CareTouchDto => ({
          id: touch.id,
          journeyId: touch.journeyId,
          journeyName: touch.journey?.name ?? null,
          subject: touch.subject,
          state: touch.state,
          error: touch.error,
          createdAt: touch.createdAt.toISOString(),
          sentAt: touch.sentAt?.toISOString() ?? null,
          repliedAt: touch.repliedAt?.toISOString() ?? null,
          replyTicketId: touch.replyTicketId,
        }),
      ),
      journeys: enrollments.map(
        (enrollment): CustomerJourneyDto => ({
          enrollmentId: enrollment.id,
          journeyId: enrollment.journeyId,
          journeyName: enrollment.journey.name,
          state: enrollment.state,
          exitReason: enrollment.exitReason,
          enteredAt: enrollment.createdAt.toISOString(),
          nextDueAt: enrollment.dueAt?.toISOString() ?? null,
          steps: (runs.get(enrollment.id) ?? []).map((run) => ({ stepId: run.stepId, stepType: run.stepType, outcome: run.outcome, detail: run.detail, createdAt: run.createdAt.toISOString() })),
        }),
      ),
      satisfaction: satisfaction.map(toSatisfactionDto),
    };
  }
}
