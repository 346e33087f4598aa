import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import { NotFoundError } from '../common/errors';
import { CustomerRepository } from '../customers/customer.repository';
import { JourneyRepository } from './journey.repository';
import { UnsubscribeTokens } from './unsubscribe-token';

/** One-click unsubscribe from care emails, honoured in the same transaction that records it. */
@Injectable()
export class UnsubscribeService {
  constructor(
    private readonly journeys: JourneyRepository,
    private readonly customers: CustomerRepository,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
  ) {}

  /** Returns the address that will get no more care emails. */
  async unsubscribe(token: string): Promise<string> {
    const claim = this.tokens.verify(token);
    const customer = claim ? await this.customers.findById(claim.customerId) : null;
    if (!claim || !customer) throw new NotFoundError('This unsubscribe link');
    const touch = await this.journeys.findTouch(claim.touchId);
    await this.journeys.unsubscribe({ customerId: customer.id, journeyId: touch?.journeyId ?? null, touchId: touch?.id ?? null, createdAt: this.clock.now() });
    return customer.email;
  }

  /** Checks a link without acting on it, for the confirmation page. */
  async addressOf(token: string): Promise<string> {
    const claim = this.tokens.verify(token);
    const customer = claim ? await this.customers.findById(claim.customerId) : null;
    if (!customer) throw new NotFoundError('This unsubscribe link');
    return customer.email;
  }
}
