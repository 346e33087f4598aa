import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock';
import type { CsvImportMode, CsvImportReportDto, CsvRowReportDto } from '../../../contracts/customers';
import { parseCustomerCsv, type CustomerCsvRow } from './customer-csv';
import { CustomerRepository } from './customer.repository';
import type { SubscriptionEventEntity } from './subscription-event.entity';
import { SubscriptionRepository } from './subscription.repository';

/**
 * A row's start and cancellation as subscription events, so the care metrics count imported history like
 * webhook history. The ids are derived from the customer and the date: importing the file again adds nothing.
 */
function subscriptionEventsOfRow(row: CustomerCsvRow, customerId: string, receivedAt: Date): Omit<SubscriptionEventEntity, 'id' | 'customer'>[] {
  const event = (type: 'created' | 'cancelled', occurredAt: Date, data: Record<string, unknown>) => ({
    eventId: `csv:${customerId}:${type}:${occurredAt.toISOString()}`,
    customerId,
    type,
    occurredAt,
    receivedAt,
    data: { source: 'csv', ...data },
  });
  return [
    ...(row.started_at ? [event('created', row.started_at, {})] : []),
    ...(row.cancelled_at ? [event('cancelled', row.cancelled_at, { cancellation: { kind: row.cancellation_kind ?? null, ...(row.cancellation_reason ? { reason: row.cancellation_reason } : {}) } })] : []),
  ];
}

/**
 * Subscriber CSV import. Every row is validated before anything is written; the valid rows then go in
 * with one transaction, so a file is imported entirely or (on any failure) not at all — never half.
 * In `all_or_nothing` mode one bad row holds back the whole file.
 */
@Injectable()
export class CustomerImportService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly subscriptions: SubscriptionRepository,
    private readonly clock: Clock,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  async import(file: Buffer, mode: CsvImportMode): Promise<CsvImportReportDto> {
    const parsed = parseCustomerCsv(file);
    const { valid, refused } = await this.refuseTakenExternalIds(parsed.valid, parsed.refused);
    const report = (rows: CsvRowReportDto[]): CsvImportReportDto => ({
      mode,
      created: rows.filter((row) => row.outcome === 'created').length,
      updated: rows.filter((row) => row.outcome === 'updated').length,
      refused: rows.filter((row) => row.outcome === 'refused').length,
      heldBack: rows.filter((row) => row.outcome === 'held_back').length,
      rows: rows.sort((a, b) => a.line - b.line),
    });
    if (mode === 'all_or_nothing' && refused.length > 0) {
      return report([...refused, ...valid.map(({ line, row }): CsvRowReportDto => ({ line, email: row.email, outcome: 'held_back', errors: [] }))]);
    }
    const imported = await this.dataSource.transaction(async (manager) => {
      const customers = await this.customers.importRows(valid.map(({ row }) => row), manager);
      const receivedAt = this.clock.now();
      const events = valid.flatMap(({ row }) => subscriptionEventsOfRow(row, customers.get(row.email)?.id ?? '', receivedAt));
      const recorded = await this.subscriptions.insertEvents(events, manager);
      await this.subscriptions.rebuildSpells([...new Set(recorded.map((event) => event.customerId))], manager);
      return customers;
    });
    return report([...refused, ...valid.map(({ line, row }): CsvRowReportDto => ({ line, email: row.email, outcome: imported.get(row.email)?.created ? 'created' : 'updated', errors: [] }))]);
  }

  /** An external id may name one customer only: in the file, and against the customers already stored. */
  private async refuseTakenExternalIds(rows: { line: number; row: CustomerCsvRow }[], refused: CsvRowReportDto[]) {
    const owners = await this.customers.externalIdOwners(rows.flatMap(({ row }) => (row.external_id ? [row.external_id] : [])));
    const claimed = new Map<string, number>();
    const valid: typeof rows = [];
    for (const entry of rows) {
      const externalId = entry.row.external_id;
      const owner = externalId ? owners.get(externalId) : undefined;
      const earlier = externalId ? claimed.get(externalId) : undefined;
      const problem = owner && owner !== entry.row.email ? `belongs to ${owner}` : earlier !== undefined ? `already on line ${earlier}` : null;
      if (problem) {
        refused.push({ line: entry.line, email: entry.row.email, outcome: 'refused', errors: [{ field: 'external_id', message: problem }] });
        continue;
      }
      if (externalId) claimed.set(externalId, entry.line);
      valid.push(entry);
    }
    return { valid, refused };
  }
}
