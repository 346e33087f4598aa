import type { HeadlineDto } from '../../../../contracts/reports';

/** A duration in seconds as a person reads it: "45 min", "3 h 20 min", "2.5 days". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  return `${(seconds / 86_400).toFixed(1)} days`;
}

export function formatFigure(value: number | null, unit: HeadlineDto['unit']): string {
  if (value === null) return '—';
  if (unit === 'seconds') return formatDuration(value);
  if (unit === 'percent') return `${value.toFixed(1)}%`;
  return value.toLocaleString();
}

/** The change against the previous period, in words, and whether it is good news. */
export function describeChange(headline: Pick<HeadlineDto, 'value' | 'previous' | 'unit' | 'goodWhen'>): { text: string; tone: 'good' | 'bad' | 'flat' } {
  const { value, previous, unit, goodWhen } = headline;
  if (value === null || previous === null) return { text: 'no figure for the previous period', tone: 'flat' };
  if (value === previous) return { text: 'same as the previous period', tone: 'flat' };
  const up = value > previous;
  const amount = unit === 'percent' ? `${Math.abs(value - previous).toFixed(1)} points` : previous <= 0 ? formatFigure(Math.abs(value - previous), unit) : `${Math.round((Math.abs(value - previous) / previous) * 100)}%`;
  return { text: `${up ? 'up' : 'down'} ${amount} on the previous period`, tone: up === (goodWhen === 'up') ? 'good' : 'bad' };
}

export const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
export const dayLabel = (day: string) => new Date(`${day}T12:00:00Z`).toLocaleDateString(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });
