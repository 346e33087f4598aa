import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SatisfactionResponse } from './satisfaction-response.entity';
import type { SubscriptionEventType } from '../../../contracts/customers';
import { SubscriptionEventEntity } from './subscription-event.entity';
import { subscriptionSpells, type TimedSubscriptionEvent } from './subscription-rules';
import { WebhookSecret } from './webhook-secret.entity';

/** Subscription events, satisfaction answers and the webhook secret. */
@Injectable()
export class SubscriptionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records an event once per event id; null when that id was recorded before (or is being, concurrently). */
  async insertEvent(event: Omit<SubscriptionEventEntity, 'id' | 'customer'>, manager: EntityManager): Promise<string | null> {
    const rows = await manager.query<{ id: string }[]>(
      `INSERT INTO subscription_events (event_id, customer_id, type, occurred_at, received_at, data) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (event_id) DO NOTHING RETURNING id`,
      [event.eventId, event.customerId, event.type, event.occurredAt, event.receivedAt, JSON.stringify(event.data)],
    );
    return rows[0]?.id ?? null;
  }

  /**
   * Records many events at once (a CSV import's starts and cancellations, a demo history), once per event id;
   * returns those recorded now.
   */
  async insertEvents(events: Omit<SubscriptionEventEntity, 'id' | 'customer'>[], manager: EntityManager): Promise<{ eventId: string; customerId: string }[]> {
    if (events.length === 0) return [];
    const rows = await manager.query<{ event_id: string; customer_id: string }[]>(
      `INSERT INTO subscription_events (event_id, customer_id, type, occurred_at, received_at, data)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::jsonb[])
       ON CONFLICT (event_id) DO NOTHING RETURNING event_id, customer_id`,
      [
        events.map((event) => event.eventId),
        events.map((event) => event.customerId),
        events.map((event) => event.type),
        events.map((event) => event.occurredAt),
        events.map((event) => event.receivedAt),
        events.map((event) => JSON.stringify(event.data)),
      ],
    );
    return rows.map((row) => ({ eventId: row.event_id, customerId: row.customer_id }));
  }

  /** Rebuilds the customers' subscription spells from all their events, in the order they happened. */
  async rebuildSpells(customerIds: string[], manager: EntityManager): Promise<void> {
    if (customerIds.length === 0) return;
    const rows = await manager.query<{ customer_id: string; type: SubscriptionEventType; occurred_at: Date; cancellation: TimedSubscriptionEvent['cancellation'] }[]>(
      `SELECT customer_id, type, occurred_at, data->'cancellation' AS cancellation FROM subscription_events
       WHERE customer_id = ANY($1::uuid[]) ORDER BY customer_id, occurred_at, received_at, id`,
      [customerIds],
    );
    const byCustomer = new Map<string, TimedSubscriptionEvent[]>(customerIds.map((id) => [id, []]));
    for (const row of rows) byCustomer.get(row.customer_id)?.push({ type: row.type, occurredAt: row.occurred_at, cancellation: row.cancellation });
    const spells = [...byCustomer].flatMap(([customerId, events]) => subscriptionSpells(events).map((spell) => ({ customerId, ...spell })));
    await manager.query('DELETE FROM subscription_spells WHERE customer_id = ANY($1::uuid[])', [customerIds]);
    if (spells.length === 0) return;
    await manager.query(
      `INSERT INTO subscription_spells (customer_id, started_at, ended_at, cancellation_kind, cancellation_reason, first_renewal_at)
       SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::timestamptz[], $4::text[], $5::text[], $6::timestamptz[])`,
      [
        spells.map((spell) => spell.customerId),
        spells.map((spell) => spell.startedAt),
        spells.map((spell) => spell.endedAt),
        spells.map((spell) => spell.cancellationKind),
        spells.map((spell) => spell.cancellationReason),
        spells.map((spell) => spell.firstRenewalAt),
      ],
    );
  }

  findEvent(eventId: string): Promise<SubscriptionEventEntity | null> {
    return this.dataSource.getRepository(SubscriptionEventEntity).findOneBy({ eventId });
  }

  events(customerId: string): Promise<SubscriptionEventEntity[]> {
    return this.dataSource.getRepository(SubscriptionEventEntity).find({ where: { customerId }, order: { occurredAt: 'DESC', receivedAt: 'DESC' }, take: 200 });
  }

  satisfaction(customerId: string): Promise<SatisfactionResponse[]> {
    return this.dataSource.getRepository(SatisfactionResponse).find({ where: { customerId }, order: { createdAt: 'DESC' }, take: 100 });
  }

  findSecret(name: string): Promise<WebhookSecret | null> {
    return this.dataSource.getRepository(WebhookSecret).findOneBy({ name });
  }

  async saveSecret(secret: WebhookSecret): Promise<void> {
    await this.dataSource.getRepository(WebhookSecret).save(secret);
  }
}
