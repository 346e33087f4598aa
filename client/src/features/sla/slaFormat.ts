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
