import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { CsvImportMode, CsvImportReportDto, CsvRowReportDto } from '../../../contracts/customers';
import { parseCustomerCsv, type CustomerCsvRow } from './customer-csv';
import { CustomerRepository } from './customer.repository';

/**
 * Subscriber CSV import. Every row is validated before anything is written; the valid rows then go in
 * with one transaction, so a file is imported entirely or (on any failure) not at all — never half.
 * In `all_or_nothing` mode one bad row holds back the whole file.
 */
@Injectable()
export class CustomerImportService {
  constructor(
    private readonly customers: CustomerRepository,
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
    const created = await this.dataSource.transaction((manager) => this.customers.importRows(valid.map(({ row }) => row), manager));
    return report([...refused, ...valid.map(({ line, row }): CsvRowReportDto => ({ line, email: row.email, outcome: created.get(row.email) ? 'created' : 'updated', errors: [] }))]);
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
