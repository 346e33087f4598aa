import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import type { SubscriptionEvent, SubscriptionEventResultDto, WebhookSecretDto, WebhookSecretStatusDto } from '../../../contracts/customers';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import type { Customer } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import type { SubscriptionEventEntity } from './subscription-event.entity';
import { subscriptionChanges } from './subscription-rules';
import { SubscriptionRepository } from './subscription.repository';
import { isAuthentic, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookCredentials } from './webhook-signature';
import { OutboxService } from '../outbox/outbox.service';

const WEBHOOK = 'subscriptions';

/** What an event changes on its customer: its subscription, and the identity details it brings. */
function customerChanges(customer: Customer, event: SubscriptionEvent): Partial<Customer> {
  return {
    ...subscriptionChanges(customer, event),
    ...(event.customer.externalId && !customer.externalId ? { externalId: event.customer.externalId } : {}),
    ...(event.customer.timeZone ? { timeZone: event.customer.timeZone } : {}),
  };
}

/** Subscription events from the commerce platform: authenticated, recorded once per event id, applied to the customer. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  /** Runs before the body's schema is checked (SubscriptionWebhookGuard): an unsigned caller learns nothing about it. */
  async authenticate(credentials: WebhookCredentials): Promise<void> {
    const stored = await this.subscriptions.findSecret(WEBHOOK);
    if (!stored || !isAuthentic(this.secrets.open(stored.sealedSecret), credentials, this.clock.now())) {
      throw new UnauthorizedException(
        `Sign "<timestamp>.<body>" with the workspace's webhook secret (${TIMESTAMP_HEADER}: <unix seconds>, ${SIGNATURE_HEADER}: sha256=…) or send the secret as bearer token`,
      );
    }
  }

  /** An authenticated event (see `authenticate`). */
  async receive(event: SubscriptionEvent): Promise<SubscriptionEventResultDto> {
    const result = await this.outbox.transaction(async (manager, raise) => {
      const customerId = await this.apply(event, manager);
      if (customerId !== null) raise({ name: 'subscription.recorded', payload: { customerId, type: event.type } });
      return customerId;
    });
    if (result === null) {
      const earlier = await this.subscriptions.findEvent(event.id);
      return { status: 'duplicate', customerId: earlier?.customerId ?? '' };
    }
    return { status: 'applied', customerId: result };
  }

  /**
   * Records one event in the caller's transaction and applies it to its customer (found by email, created when
   * new); null when its id was recorded before.
   */
  async apply(event: SubscriptionEvent, manager: EntityManager): Promise<string | null> {
    const customer = await this.customers.lockByEmail(event.customer.email, event.customer.name ?? null, manager);
    const recorded = await this.subscriptions.insertEvent(this.record(event, customer.id), manager);
    if (!recorded) return null;
    await this.subscriptions.rebuildSpells([customer.id], manager);
    await this.customers.update(customer.id, customerChanges(customer, event), manager);
    return customer.id;
  }

  /**
   * Many customers' histories at once (the demo workspace): the same rules as one event at a time, applied in the
   * order given, with a handful of statements instead of several per event. Events recorded before are skipped.
   */
  async applyHistory(events: SubscriptionEvent[], manager: EntityManager): Promise<void> {
    const ids = await this.customers.upsertManyByEmail(events.map((event) => ({ address: event.customer.email, name: event.customer.name ?? null })), manager);
    const recorded = await this.subscriptions.insertEvents(events.map((event) => this.record(event, ids.get(event.customer.email) ?? '')), manager);
    const fresh = new Set(recorded.map((event) => event.eventId));
    const customers = new Map((await this.customers.findMany([...new Set(ids.values())], manager)).map((customer) => [customer.id, customer]));
    const changed = new Map<string, Partial<Customer>>();
    for (const event of events.filter((candidate) => fresh.has(candidate.id))) {
      const id = ids.get(event.customer.email) ?? '';
      const customer = customers.get(id) as Customer;
      const changes = customerChanges(customer, event);
      Object.assign(customer, changes);
      changed.set(id, { ...changed.get(id), ...changes });
    }
    for (const [id, changes] of changed) await this.customers.update(id, changes, manager);
    await this.subscriptions.rebuildSpells([...changed.keys()], manager);
  }

  private record(event: SubscriptionEvent, customerId: string): Omit<SubscriptionEventEntity, 'id' | 'customer'> {
    return {
      eventId: event.id,
      customerId,
      type: event.type,
      occurredAt: new Date(event.occurredAt),
      receivedAt: this.clock.now(),
      data: { customer: event.customer, subscription: event.subscription, ...(event.cancellation ? { cancellation: event.cancellation } : {}) },
    };
  }

  async secretStatus(): Promise<WebhookSecretStatusDto> {
    const stored = await this.subscriptions.findSecret(WEBHOOK);
    return { configured: stored !== null, createdAt: stored?.createdAt.toISOString() ?? null };
  }

  /** A new secret replaces the old one at once; it is shown only in this answer. */
  async rotateSecret(): Promise<WebhookSecretDto> {
    const secret = `whsec_${randomBytes(24).toString('base64url')}`;
    const createdAt = this.clock.now();
    await this.subscriptions.saveSecret({ name: WEBHOOK, sealedSecret: this.secrets.seal(secret), createdAt });
    return { secret, signatureHeader: SIGNATURE_HEADER, timestampHeader: TIMESTAMP_HEADER, createdAt: createdAt.toISOString() };
  }
}
