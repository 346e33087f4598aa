import type { ReportTicketRowDto } from '../../../contracts/reports';

type Cell = string | number | boolean | null | undefined;

/** One CSV line (RFC 4180), with cells that a spreadsheet would run as a formula defused by a leading quote. */
export function csvLine(cells: Cell[]): string {
  return `${cells
    .map((cell) => {
      if (cell === null || cell === undefined) return '';
      let text = String(cell);
      if (typeof cell === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
      return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
    })
    .join(',')}\r\n`;
}

/** A table as CSV: the header, then a line per row in the order of the columns. */
export function csvTable<T>(columns: { header: string; value: (row: T) => Cell }[], rows: T[]): string {
  return csvLine(columns.map((column) => column.header)) + rows.map((row) => csvLine(columns.map((column) => column.value(row)))).join('');
}

/** The per-ticket export's columns (one row per ticket, its figures in seconds). */
export const TICKET_CSV_COLUMNS: { header: string; value: (row: ReportTicketRowDto) => Cell }[] = [
  { header: 'ticket_number', value: (row) => row.number },
  { header: 'subject', value: (row) => row.subject },
  { header: 'status', value: (row) => row.status },
  { header: 'team', value: (row) => row.teamName },
  { header: 'assignee', value: (row) => row.assigneeName },
  { header: 'created_at', value: (row) => row.createdAt },
  { header: 'first_reply_seconds', value: (row) => row.firstReplySeconds },
  { header: 'first_reply_business_seconds', value: (row) => row.firstReplyBusinessSeconds },
  { header: 'full_resolution_seconds', value: (row) => row.fullResolutionSeconds },
  { header: 'public_replies', value: (row) => row.publicReplies },
  { header: 'reopens', value: (row) => row.reopens },
  { header: 'one_touch', value: (row) => row.oneTouch },
  { header: 'csat_score', value: (row) => row.csatScore },
];
