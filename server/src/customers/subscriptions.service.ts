import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { SubscriptionEvent, SubscriptionEventResultDto, WebhookSecretDto, WebhookSecretStatusDto } from '../../../contracts/customers';
import { Clock } from '../common/clock';
import { DomainEvents } from '../common/domain-events';
import { SecretBox } from '../common/secret-box';
import { CustomerRepository } from './customer.repository';
import { subscriptionChanges } from './subscription-rules';
import { SubscriptionRepository } from './subscription.repository';
import { isAuthentic, SIGNATURE_HEADER } from './webhook-signature';

const WEBHOOK = 'subscriptions';

export interface WebhookCredentials {
  rawBody: Buffer | undefined;
  signature: string | undefined;
  bearer: string | null;
}

/** Subscription events from the commerce platform: authenticated, recorded once per event id, applied to the customer. */
@Injectable()
export class SubscriptionsService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly subscriptions: SubscriptionRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly events: DomainEvents,
    private readonly clock: Clock,
  ) {}

  async receive(event: SubscriptionEvent, credentials: WebhookCredentials): Promise<SubscriptionEventResultDto> {
    const stored = await this.subscriptions.findSecret(WEBHOOK);
    if (!stored || !isAuthentic(this.secrets.open(stored.sealedSecret), credentials)) {
      throw new UnauthorizedException(`Sign the body with the workspace's webhook secret (${SIGNATURE_HEADER}: sha256=…) or send the secret as bearer token`);
    }
    const result = await this.subscriptions.transaction(async (manager) => {
      const customer = await this.customers.lockByEmail(event.customer.email, event.customer.name ?? null, manager);
      const recorded = await this.subscriptions.insertEvent(
        {
          eventId: event.id,
          customerId: customer.id,
          type: event.type,
          occurredAt: new Date(event.occurredAt),
          receivedAt: this.clock.now(),
          data: { customer: event.customer, subscription: event.subscription, ...(event.cancellation ? { cancellation: event.cancellation } : {}) },
        },
        manager,
      );
      if (!recorded) return null;
      await this.subscriptions.rebuildSpells([customer.id], manager);
      await this.customers.update(
        customer.id,
        {
          ...subscriptionChanges(customer, event),
          ...(event.customer.externalId && !customer.externalId ? { externalId: event.customer.externalId } : {}),
          ...(event.customer.timeZone ? { timeZone: event.customer.timeZone } : {}),
        },
        manager,
      );
      return customer.id;
    });
    if (result === null) {
      const earlier = await this.subscriptions.findEvent(event.id);
      return { status: 'duplicate', customerId: earlier?.customerId ?? '' };
    }
    this.events.emit('subscription.recorded', { customerId: result, type: event.type });
    return { status: 'applied', customerId: result };
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
    return { secret, signatureHeader: SIGNATURE_HEADER, createdAt: createdAt.toISOString() };
  }
}
