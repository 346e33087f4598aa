import { Injectable } from '@nestjs/common';
import type { CreateCustomerRequest, CustomerDto, UpdateCustomerRequest } from '../../../contracts/api';
import type { SatisfactionDto } from '../../../contracts/customers';
import { ConflictError, NotFoundError } from '../common/errors';
import type { Customer } from './customer.entity';
import { CustomerRepository } from './customer.repository';
import type { SatisfactionResponse } from './satisfaction-response.entity';

export function toCustomerDto(customer: Customer): CustomerDto {
  const iso = (date: Date | null) => (date ? date.toISOString() : null);
  return {
    id: customer.id,
    email: customer.email,
    name: customer.name,
    externalId: customer.externalId,
    subscriptionStatus: customer.subscriptionStatus,
    subscriptionStartedAt: iso(customer.subscriptionStartedAt),
    currentCycle: customer.currentCycle,
    nextRenewalAt: iso(customer.nextRenewalAt),
    cancelledAt: iso(customer.cancelledAt),
    cancellationKind: customer.cancellationKind,
    cancellationReason: customer.cancellationReason,
    plan: customer.plan,
    skippedCycles: customer.skippedCycles,
    lifetimeValue: Number(customer.lifetimeValue),
    timeZone: customer.timeZone,
    tags: customer.tags,
    createdAt: customer.createdAt.toISOString(),
  };
}

export function toSatisfactionDto(response: SatisfactionResponse): SatisfactionDto {
  return {
    id: response.id,
    kind: response.kind,
    score: response.score,
    comment: response.comment,
    reason: response.reason,
    ticketId: response.ticketId,
    createdAt: response.createdAt.toISOString(),
    voidedAt: response.voidedAt?.toISOString() ?? null,
    voidReason: response.voidReason,
  };
}

const DATE_FIELDS = ['subscriptionStartedAt', 'nextRenewalAt', 'cancelledAt'] as const;

/** Turns the API's ISO strings into the entity's dates. */
function toEntityFields(input: UpdateCustomerRequest): Partial<Customer> {
  const { subscriptionStartedAt, nextRenewalAt, cancelledAt, ...rest } = input;
  const fields: Partial<Customer> = { ...rest };
  const dates = { subscriptionStartedAt, nextRenewalAt, cancelledAt };
  for (const key of DATE_FIELDS) {
    const value = dates[key];
    if (value !== undefined) fields[key] = value === null ? null : new Date(value);
  }
  return fields;
}

@Injectable()
export class CustomersService {
  constructor(private readonly customers: CustomerRepository) {}

  async search(query: string | undefined, limit: number): Promise<CustomerDto[]> {
    return (await this.customers.search(query, limit)).map(toCustomerDto);
  }

  async get(id: string): Promise<CustomerDto> {
    const customer = await this.customers.findById(id);
    if (!customer) throw new NotFoundError('Customer');
    return toCustomerDto(customer);
  }

  async create(input: CreateCustomerRequest): Promise<CustomerDto> {
    if (await this.customers.findByEmail(input.email)) throw new ConflictError(`A customer with email ${input.email} already exists`);
    const saved = await this.customers.save(toEntityFields(input));
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateCustomerRequest): Promise<CustomerDto> {
    await this.get(id);
    if (input.email) {
      const other = await this.customers.findByEmail(input.email);
      if (other && other.id !== id) throw new ConflictError(`A customer with email ${input.email} already exists`);
    }
    await this.customers.save({ id, ...toEntityFields(input) });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    if (!(await this.customers.delete(id))) throw new NotFoundError('Customer');
  }
}
