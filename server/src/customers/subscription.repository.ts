import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { SatisfactionResponse } from './satisfaction-response.entity';
import { SubscriptionEventEntity } from './subscription-event.entity';
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

  findEvent(eventId: string): Promise<SubscriptionEventEntity | null> {
    return this.dataSource.getRepository(SubscriptionEventEntity).findOneBy({ eventId });
  }

  events(customerId: string): Promise<SubscriptionEventEntity[]> {
    return this.dataSource.getRepository(SubscriptionEventEntity).find({ where: { customerId }, order: { receivedAt: 'DESC' }, take: 200 });
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
