import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { SUBSCRIBER_STATUSES, type SortOrder, type SubscriberQuery, type SubscriberSort } from '../../../contracts/customers';
import type { CustomerCsvRow } from './customer-csv';
import { Customer } from './customer.entity';

/** Rows per statement in an import: well under PostgreSQL's parameter limit, few round trips. */
const IMPORT_CHUNK = 1000;

/**
 * Each sort of the subscribers table: the expression (each has an index with id after it) and the type its
 * cursor value is cast back to. Nullable ones put the rows without a value last, in either order.
 */
const SORT_KEYS: Record<SubscriberSort, { expression: string; type: string; nullable: boolean }> = {
  name: { expression: 'lower(COALESCE(c.name, c.email))', type: 'text', nullable: false },
  status: { expression: 'c.subscription_status', type: 'subscription_status', nullable: false },
  plan: { expression: 'c.plan', type: 'text', nullable: true },
  cycle: { expression: 'c.current_cycle', type: 'integer', nullable: true },
  next_renewal: { expression: 'c.next_renewal_at', type: 'timestamptz', nullable: true },
  lifetime_value: { expression: 'c.lifetime_value', type: 'numeric', nullable: false },
  started: { expression: 'c.subscription_started_at', type: 'timestamptz', nullable: true },
};

/** Where a page starts: the row just outside it (its sort key as text, exact for timestamps), and which way to read. */
export interface SubscriberPosition {
  key: string | null;
  id: string;
  direction: 'after' | 'before';
}

export interface SubscriberRows {
  /** In table order, with each row's sort key as text (for the cursors). */
  rows: { customer: Customer; key: string | null }[];
  /** Whether rows go on beyond the page in the direction read. */
  more: boolean;
  total: number;
}

const escapeLike = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

@Injectable()
export class CustomerRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private repo(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Customer);
  }

  search(query: string | undefined, limit: number): Promise<Customer[]> {
    const builder = this.repo().createQueryBuilder('customer').orderBy('customer.createdAt', 'DESC').addOrderBy('customer.id', 'DESC').limit(limit);
    if (query) {
      builder.where(`(customer.email || ' ' || COALESCE(customer.name, '') ILIKE :pattern OR customer.externalId = :exact)`, { pattern: `%${escapeLike(query)}%`, exact: query });
    }
    return builder.getMany();
  }

  /**
   * One page of the subscribers table, filtered and sorted in PostgreSQL, read by keyset from `position` (the
   * first page without one), so a page deep in 100,000 customers costs what the first does. Rows with a value
   * come first, in the sort's index order; those without (no plan, no renewal) after them, by id: two index
   * reads of at most `limit + 1` rows each. Also counts every match.
   */
  async subscriberPage(query: SubscriberQuery, position: SubscriberPosition | null): Promise<SubscriberRows> {
    const params: unknown[] = [];
    const param = (value: unknown) => `$${params.push(value)}`;
    const filters = [`c.subscription_status = ANY(${param(query.status ?? [...SUBSCRIBER_STATUSES])}::subscription_status[])`];
    if (query.q) filters.push(`(c.email || ' ' || COALESCE(c.name, '') ILIKE ${param(`%${escapeLike(query.q)}%`)} OR c.external_id = ${param(query.q)})`);
    if (query.plan) filters.push(`c.plan = ${param(query.plan)}`);
    if (query.cycleMin !== undefined) filters.push(`c.current_cycle >= ${param(query.cycleMin)}`);
    if (query.cycleMax !== undefined) filters.push(`c.current_cycle <= ${param(query.cycleMax)}`);
    const where = filters.join(' AND ');
    const countParams = [...params];

    const { expression, type, nullable } = SORT_KEYS[query.sort];
    const backwards = position?.direction === 'before';
    // Reading backwards walks the table's order in reverse: the other direction, the rows without a value first.
    const direction: SortOrder = (query.order === 'asc') !== backwards ? 'asc' : 'desc';
    const beyond = direction === 'asc' ? '>' : '<';
    const sql = direction === 'asc' ? 'ASC' : 'DESC';
    const limit = param(query.limit + 1);
    // Each part carries its sort value (typed, to order the page) and as text (exact, for the cursor).
    const part = (rank: number, valuedRows: boolean, condition: string | null) => {
      const value = valuedRows ? expression : `NULL::${type}`;
      const own = valuedRows ? (nullable ? [`${expression} IS NOT NULL`] : []) : [`${expression} IS NULL`];
      const conditions = [where, ...own, ...(condition ? [condition] : [])].join(' AND ');
      const order = valuedRows ? `${expression} ${sql}, c.id ${sql}` : `c.id ${sql}`;
      return `(SELECT c.*, ${value} AS sort_value, (${value})::text AS sort_key, ${rank} AS part FROM customers c WHERE ${conditions} ORDER BY ${order} LIMIT ${limit})`;
    };
    const parts: string[] = [];
    if (!position) {
      parts.push(part(0, true, null));
      if (nullable) parts.push(part(1, false, null));
    } else if (position.key !== null) {
      parts.push(part(0, true, `(${expression}, c.id) ${beyond} (${param(position.key)}::${type}, ${param(position.id)}::uuid)`));
      if (nullable && !backwards) parts.push(part(1, false, null));
    } else {
      parts.push(part(1, false, `c.id ${beyond} ${param(position.id)}::uuid`));
      if (backwards) parts.push(part(0, true, null));
    }
    const [rows, [{ count }]] = await Promise.all([
      this.dataSource.query<Record<string, unknown>[]>(
        `SELECT * FROM (${parts.join(' UNION ALL ')}) AS page ORDER BY part ${backwards ? 'DESC' : 'ASC'}, sort_value ${sql}, id ${sql} LIMIT ${limit}`,
        params,
      ),
      this.dataSource.query<{ count: string }[]>(`SELECT count(*) FROM customers c WHERE ${where}`, countParams),
    ]);
    const more = rows.length > query.limit;
    const page = rows.slice(0, query.limit).map(({ sort_value: _value, sort_key: key, part: _part, ...row }) => ({ customer: this.repo().create(this.fromRow(row)), key: key as string | null }));
    return { rows: backwards ? page.reverse() : page, more, total: Number(count) };
  }

  /** The plans of everyone the table shows by default, with how many customers each. */
  async subscriberPlans(): Promise<{ plan: string; customers: number }[]> {
    const rows = await this.dataSource.query<{ plan: string; customers: string }[]>(
      `SELECT plan, count(*) AS customers FROM customers WHERE plan IS NOT NULL AND subscription_status = ANY($1::subscription_status[]) GROUP BY plan ORDER BY plan`,
      [[...SUBSCRIBER_STATUSES]],
    );
    return rows.map((row) => ({ plan: row.plan, customers: Number(row.customers) }));
  }

  findById(id: string): Promise<Customer | null> {
    return this.repo().findOneBy({ id });
  }

  findMany(ids: string[], manager?: EntityManager): Promise<Customer[]> {
    return this.repo(manager).findBy({ id: In(ids) });
  }

  findByEmail(email: string, manager?: EntityManager): Promise<Customer | null> {
    return this.repo(manager).findOneBy({ email: email.toLowerCase() });
  }

  save(customer: Partial<Customer>, manager?: EntityManager): Promise<Customer> {
    return this.repo(manager).save(customer);
  }

  /** Finds or creates the customer for a sender address in one statement, safe under concurrent ingestion. */
  async upsertByEmail(email: string, name: string | null, manager: EntityManager = this.dataSource.manager): Promise<Customer> {
    const rows = await manager.query<Record<string, unknown>[]>(
      `INSERT INTO customers (email, name) VALUES ($1, $2)
       ON CONFLICT (email) DO UPDATE SET name = COALESCE(customers.name, EXCLUDED.name)
       RETURNING *`,
      [email.toLowerCase(), name],
    );
    return this.repo(manager).create(this.fromRow(rows[0]));
  }

  /** Customer ids for many senders at once (created when new); one statement for a whole mail batch. */
  async upsertManyByEmail(senders: { address: string; name: string | null }[], manager: EntityManager): Promise<Map<string, string>> {
    const unique = [...new Map(senders.map((sender) => [sender.address.toLowerCase(), sender.name])).entries()];
    if (unique.length === 0) return new Map();
    const rows = await manager.query<{ id: string; email: string }[]>(
      `INSERT INTO customers (email, name) SELECT * FROM unnest($1::text[], $2::text[])
       ON CONFLICT (email) DO UPDATE SET name = COALESCE(customers.name, EXCLUDED.name)
       RETURNING id, email`,
      [unique.map(([address]) => address), unique.map(([, name]) => name)],
    );
    return new Map(rows.map((row) => [row.email, row.id]));
  }

  /** The customer for an address, created when new, locked until the caller's transaction ends. */
  async lockByEmail(email: string, name: string | null, manager: EntityManager): Promise<Customer> {
    const { id } = await this.upsertByEmail(email, name, manager);
    const customer = await this.repo(manager).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!customer) throw new Error(`customer ${id} vanished inside its own transaction`);
    return customer;
  }

  async update(id: string, changes: Partial<Customer>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await this.repo(manager).update({ id }, changes);
  }

  /** For external ids, the email of the customer holding each one. */
  async externalIdOwners(externalIds: string[]): Promise<Map<string, string>> {
    if (externalIds.length === 0) return new Map();
    const rows = await this.repo().createQueryBuilder('customer').select(['customer.externalId', 'customer.email']).where('customer.externalId IN (:...externalIds)', { externalIds }).getMany();
    return new Map(rows.map((row) => [row.externalId ?? '', row.email]));
  }

  /**
   * Creates or updates customers from validated CSV rows in the caller's transaction; cells left empty keep
   * the stored value. Returns, per email, the customer and whether it was created.
   */
  async importRows(rows: CustomerCsvRow[], manager: EntityManager): Promise<Map<string, { id: string; created: boolean }>> {
    const imported = new Map<string, { id: string; created: boolean }>();
    for (let start = 0; start < rows.length; start += IMPORT_CHUNK) {
      const chunk = rows.slice(start, start + IMPORT_CHUNK);
      const column = <K extends keyof CustomerCsvRow>(key: K) => chunk.map((row) => row[key] ?? null);
      const result = await manager.query<{ id: string; email: string; created: boolean }[]>(
        `WITH input AS (
           SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::subscription_status[], $5::timestamptz[], $6::int[], $7::timestamptz[], $8::int[], $9::text[], $10::numeric[], $11::text[], $12::timestamptz[], $13::text[], $14::text[], $15::text[])
             AS row(email, name, external_id, status, started_at, cycle, next_renewal_at, skipped, plan, lifetime_value, time_zone, cancelled_at, cancellation_kind, cancellation_reason, currency)
         ), updated AS (
           UPDATE customers c SET
             name = COALESCE(i.name, c.name),
             external_id = COALESCE(i.external_id, c.external_id),
             subscription_status = COALESCE(i.status, c.subscription_status),
             subscription_started_at = COALESCE(i.started_at, c.subscription_started_at),
             current_cycle = COALESCE(i.cycle, c.current_cycle),
             next_renewal_at = COALESCE(i.next_renewal_at, c.next_renewal_at),
             skipped_cycles = COALESCE(i.skipped, c.skipped_cycles),
             plan = COALESCE(i.plan, c.plan),
             lifetime_value = COALESCE(i.lifetime_value, c.lifetime_value),
             currency = COALESCE(i.currency, c.currency),
             time_zone = COALESCE(i.time_zone, c.time_zone),
             cancelled_at = COALESCE(i.cancelled_at, c.cancelled_at),
             cancellation_kind = CASE WHEN i.cancelled_at IS NULL THEN c.cancellation_kind ELSE i.cancellation_kind END,
             cancellation_reason = CASE WHEN i.cancelled_at IS NULL THEN c.cancellation_reason ELSE i.cancellation_reason END,
             updated_at = now()
           FROM input i WHERE c.email = i.email
           RETURNING c.id, c.email
         ), inserted AS (
           INSERT INTO customers (email, name, external_id, subscription_status, subscription_started_at, current_cycle, next_renewal_at, skipped_cycles, plan, lifetime_value, time_zone, cancelled_at, cancellation_kind, cancellation_reason, currency)
           SELECT email, name, external_id, COALESCE(status, 'none'), started_at, cycle, next_renewal_at, COALESCE(skipped, 0), plan, COALESCE(lifetime_value, 0), time_zone, cancelled_at, cancellation_kind, cancellation_reason, currency
           FROM input WHERE email NOT IN (SELECT email FROM updated)
           RETURNING id, email
         )
         SELECT id, email, false AS created FROM updated UNION ALL SELECT id, email, true AS created FROM inserted`,
        [
          column('email'),
          column('name'),
          column('external_id'),
          column('status'),
          column('started_at'),
          column('cycle'),
          column('next_renewal_at'),
          column('skipped_cycles'),
          column('plan'),
          column('lifetime_value'),
          column('time_zone'),
          column('cancelled_at'),
          column('cancellation_kind'),
          column('cancellation_reason'),
          column('currency'),
        ],
      );
      for (const row of result) imported.set(row.email, { id: row.id, created: row.created });
    }
    return imported;
  }

  private fromRow(row: Record<string, unknown>): Partial<Customer> {
    return Object.fromEntries(Object.entries(row).map(([column, value]) => [column.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase()), value]));
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.repo().delete({ id });
    return (result.affected ?? 0) > 0;
  }
}
