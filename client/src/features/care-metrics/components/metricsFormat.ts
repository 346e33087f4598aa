import { stringify } from 'csv-stringify/browser/esm/sync';
import type { IntervalDto } from '../../../../../contracts/care-metrics';

/** 0.123 → "12.3%"; null → "—". */
export const formatShare = (share: number | null) => (share === null ? '—' : `${(Math.round(share * 1000) / 10).toLocaleString()}%`);

/** A difference of shares in percentage points, signed: "+4.2 pts". */
export const formatPoints = (value: number) => `${value >= 0 ? '+' : '−'}${Math.abs(Math.round(value * 1000) / 10).toLocaleString()} pts`;

export const formatInterval = (interval: IntervalDto, format: (value: number) => string) => `${format(interval.low)} to ${format(interval.high)}`;

export const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** A file the browser downloads, from rows already on the page (quoted as the server's CSV is). */
export function downloadCsv(filename: string, header: string[], rows: (string | number | null)[][]): void {
  const blob = new Blob([stringify(rows, { header: true, columns: header })], { type: 'text/csv' });
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = filename;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** A chart's click handler that hands over the clicked point (found by its axis label), if any. */
export const onPointClick =
  <T extends { label: string }>(data: T[], pick: (entry: T) => void) =>
  (state: { activeLabel?: string | number } | null | undefined) => {
    const entry = data.find((candidate) => candidate.label === state?.activeLabel);
    if (entry) pick(entry);
  };
