import { CsvError, parse } from 'csv-parse/sync';
import { z } from 'zod';
import { CANCELLATION_KINDS, cancellationReasonSchema, CSV_COLUMNS, currencySchema, timeZoneSchema, type CsvRowReportDto } from '../../../contracts/customers';
import { SUBSCRIPTION_STATUSES } from '../../../contracts/domain';
import { InvalidFieldError } from '../common/errors';

/** An empty cell means "not given": a new customer gets the default, an existing one keeps its value. */
const optional = <T extends z.ZodTypeAny>(schema: T) => z.preprocess((value) => (value === '' ? undefined : value), schema.optional());
const date = z.union([z.iso.date().transform((day) => new Date(`${day}T00:00:00.000Z`)), z.iso.datetime({ offset: true }).transform((value) => new Date(value))], {
  error: 'must be a date (YYYY-MM-DD) or a date-time with offset',
});
const count = z.coerce.number({ error: 'must be a whole number' }).int('must be a whole number').min(0, 'may not be negative');

const CsvRowSchema = z.object({
  email: z.email('must be an email address').max(320).transform((value) => value.toLowerCase()),
  name: optional(z.string().max(200)),
  external_id: optional(z.string().max(200)),
  status: optional(z.enum(SUBSCRIPTION_STATUSES, { error: `must be one of ${SUBSCRIPTION_STATUSES.join(', ')}` })),
  started_at: optional(date),
  cycle: optional(count),
  next_renewal_at: optional(date),
  skipped_cycles: optional(count),
  plan: optional(z.string().max(200)),
  lifetime_value: optional(z.coerce.number({ error: 'must be a number' }).min(0, 'may not be negative').max(100_000_000)),
  currency: optional(currencySchema),
  time_zone: optional(timeZoneSchema),
  cancelled_at: optional(date),
  cancellation_kind: optional(z.enum(CANCELLATION_KINDS, { error: `must be one of ${CANCELLATION_KINDS.join(', ')}` })),
  cancellation_reason: optional(cancellationReasonSchema),
}).refine((row) => row.cancelled_at !== undefined || (row.cancellation_kind === undefined && row.cancellation_reason === undefined), {
  path: ['cancelled_at'],
  message: 'is needed when the row says how or why the subscription was cancelled',
});
export type CustomerCsvRow = z.output<typeof CsvRowSchema>;

export interface ParsedCustomerCsv {
  valid: { line: number; row: CustomerCsvRow }[];
  refused: CsvRowReportDto[];
}

interface CsvRecord {
  line: number;
  fields: Record<string, string>;
}

const MAX_ROWS = 100_000;

/**
 * Reads a subscriber CSV (header row, known columns in any order) and validates every row before anything
 * is written. A file that is not CSV at all, or has unknown columns, is refused as a whole.
 */
export function parseCustomerCsv(input: Buffer): ParsedCustomerCsv {
  let records: CsvRecord[];
  try {
    records = parse<CsvRecord, Record<string, string>>(input, {
      bom: true,
      trim: true,
      skip_empty_lines: true,
      columns: (header: string[]) => header.map((column) => column.trim().toLowerCase().replace(/[\s-]+/g, '_')),
      on_record: (fields, context) => ({ line: context.lines, fields }),
    });
  } catch (error) {
    if (error instanceof CsvError) throw new InvalidFieldError('file', `is not a readable CSV file (${error.message})`);
    throw error;
  }
  if (records.length === 0) throw new InvalidFieldError('file', 'has no rows under its header');
  if (records.length > MAX_ROWS) throw new InvalidFieldError('file', `has more than ${MAX_ROWS} rows; split it`);
  const columns = Object.keys(records[0].fields);
  const unknown = columns.filter((column) => !(CSV_COLUMNS as readonly string[]).includes(column));
  if (unknown.length) throw new InvalidFieldError('file', `has unknown columns: ${unknown.join(', ')} (known: ${CSV_COLUMNS.join(', ')})`);
  if (!columns.includes('email')) throw new InvalidFieldError('file', 'needs an email column');

  const firstLineOf = new Map<string, number>();
  const result: ParsedCustomerCsv = { valid: [], refused: [] };
  for (const { line, fields } of records) {
    const parsed = CsvRowSchema.safeParse(fields);
    const email = parsed.success ? parsed.data.email : (fields.email?.toLowerCase() || null);
    if (!parsed.success) {
      result.refused.push({ line, email, outcome: 'refused', errors: parsed.error.issues.map((issue) => ({ field: issue.path.join('.') || '(row)', message: issue.message })) });
      continue;
    }
    const earlier = firstLineOf.get(parsed.data.email);
    if (earlier !== undefined) {
      result.refused.push({ line, email, outcome: 'refused', errors: [{ field: 'email', message: `already on line ${earlier}` }] });
      continue;
    }
    firstLineOf.set(parsed.data.email, line);
    result.valid.push({ line, row: parsed.data });
  }
  return result;
}
