import { Injectable } from '@nestjs/common';
import type { CreateCustomerRequest, CustomerDto, UpdateCustomerRequest } from '../../../contracts/api';
import type { SatisfactionDto, SubscriberPageDto, SubscriberPlanDto, SubscriberQuery } from '../../../contracts/customers';
import { ConflictError, InvalidFieldError, NotFoundError } from '../common/errors';
import type { Customer } from './customer.entity';
import { CustomerRepository, type SubscriberPosition } from './customer.repository';
import type { SatisfactionResponse } from './satisfaction-response.entity';
import { isUuid } from '../common/uuid';

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
    currency: customer.currency,
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

/** A page cursor: the row it points at, under the sort it was made for. */
interface Cursor {
  sort: SubscriberQuery['sort'];
  order: SubscriberQuery['order'];
  key: string | null;
  id: string;
}
const encodeCursor = (cursor: Cursor) => Buffer.from(JSON.stringify(cursor)).toString('base64url');

function decodeCursor(query: SubscriberQuery): SubscriberPosition | null {
  const direction = query.after !== undefined ? 'after' : query.before !== undefined ? 'before' : null;
  if (!direction) return null;
  let cursor: Partial<Cursor> | null;
  try {
    cursor = JSON.parse(Buffer.from(query[direction] ?? '', 'base64url').toString('utf8')) as Partial<Cursor> | null;
  } catch {
    throw new InvalidFieldError(direction, 'is not a cursor of this table');
  }
  if (!isUuid(cursor?.id) || !(typeof cursor.key === 'string' || cursor.key === null)) throw new InvalidFieldError(direction, 'is not a cursor of this table');
  if (cursor.sort !== query.sort || cursor.order !== query.order) throw new InvalidFieldError(direction, `belongs to another sort; start again without ${direction}`);
  return { key: cursor.key, id: cursor.id, direction };
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

  /** A page of the subscribers table, with cursors to the pages either side. */
  async subscribers(query: SubscriberQuery): Promise<SubscriberPageDto> {
    const position = decodeCursor(query);
    const page = await this.customers.subscriberPage(query, position);
    const cursorAt = (row: (typeof page.rows)[number] | undefined) => (row ? encodeCursor({ sort: query.sort, order: query.order, key: row.key, id: row.customer.id }) : null);
    const [first, last] = [page.rows[0], page.rows.at(-1)];
    const backwards = position?.direction === 'before';
    return {
      items: page.rows.map((row) => toCustomerDto(row.customer)),
      total: page.total,
      next: backwards || page.more ? cursorAt(last) : null,
      prev: (backwards ? page.more : position !== null) ? cursorAt(first) : null,
    };
  }

  subscriberPlans(): Promise<SubscriberPlanDto[]> {
    return this.customers.subscriberPlans();
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
