import type { SlaState, SlaTargetKind } from '../../../../contracts/sla';

export const TARGET_KIND_LABELS: Record<SlaTargetKind, string> = { first_reply: 'First reply', next_reply: 'Next reply', resolution: 'Resolution' };
export const SLA_STATE_LABELS: Record<SlaState, string> = { active: 'Running', paused: 'Paused', achieved: 'Met', breached: 'Breached' };

/** "2 d 3 h", "1 h 05 m", "12 m", "40 s": the largest two units. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(Math.abs(ms) / 1000));
  const [days, hours, minutes] = [Math.floor(seconds / 86_400), Math.floor(seconds / 3600) % 24, Math.floor(seconds / 60) % 60];
  if (days) return `${days} d ${hours} h`;
  if (hours) return `${hours} h ${String(minutes).padStart(2, '0')} m`;
  if (minutes) return `${minutes} m`;
  return `${seconds} s`;
}

export function formatMinutes(minutes: number): string {
  return formatDuration(minutes * 60_000);
}

/** SLA targets are entered and shown in hours or days; the API keeps minutes. */
export const TARGET_UNITS = { hours: 60, days: 1440 } as const;
export type TargetUnit = keyof typeof TARGET_UNITS;

/** Whole days read as days ("2 days"), anything else as hours ("40 h", "0.5 h"). */
export function targetUnit(minutes: number | undefined): TargetUnit {
  return minutes && minutes % TARGET_UNITS.days === 0 ? 'days' : 'hours';
}

/** A number of hours or days without trailing noise: 8, 0.5, 1.25. */
export function targetAmount(minutes: number, unit: TargetUnit): string {
  return String(Math.round((minutes / TARGET_UNITS[unit]) * 100) / 100);
}

export function formatTarget(minutes: number): string {
  const unit = targetUnit(minutes);
  const amount = targetAmount(minutes, unit);
  return unit === 'days' ? `${amount} ${amount === '1' ? 'day' : 'days'}` : `${amount} h`;
}
