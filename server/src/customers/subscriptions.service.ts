import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { SubscriptionEvent, SubscriptionEventResultDto, WebhookSecretDto, WebhookSecretStatusDto } from '../../../contracts/customers';
import { Clock } from '../common/clock';
import { SecretBox } from '../common/secret-box';
import { CustomerRepository } from './customer.repository';
import { subscriptionChanges } from './subscription-rules';
import { SubscriptionRepository } from './subscription.repository';
import { isAuthentic, SIGNATURE_HEADER, TIMESTAMP_HEADER, type WebhookCredentials } from './webhook-signature';
import { OutboxService } from '../outbox/outbox.service';

const WEBHOOK = 'subscriptions';

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
      const customer = await this.customers.lockByEmail(event.customer.email, event.customer.name ?? null, manager);
      const recorded = await this.subscriptions.insertEvent(
        { eventId: event.id, customerId: customer.id, type: event.type, occurredAt: new Date(event.occurredAt), receivedAt: this.clock.now(), data: { customer: event.customer, subscription: event.subscription } },
        manager,
      );
      if (!recorded) return null;
      await this.customers.update(
        customer.id,
        {
          ...subscriptionChanges(customer, event),
          ...(event.customer.externalId && !customer.externalId ? { externalId: event.customer.externalId } : {}),
          ...(event.customer.timeZone ? { timeZone: event.customer.timeZone } : {}),
        },
        manager,
      );
      raise({ name: 'subscription.recorded', payload: { customerId: customer.id, type: event.type } });
      return customer.id;
    });
    if (result === null) {
      const earlier = await this.subscriptions.findEvent(event.id);
      return { status: 'duplicate', customerId: earlier?.customerId ?? '' };
    }
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
    return { secret, signatureHeader: SIGNATURE_HEADER, timestampHeader: TIMESTAMP_HEADER, createdAt: createdAt.toISOString() };
  }
}
