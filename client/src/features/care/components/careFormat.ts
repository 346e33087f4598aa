import type { InitiativeStatus, SignalDto } from '../../../../../contracts/care';

export const COLUMN_TITLES: Record<InitiativeStatus, string> = {
  proposed: 'Proposed',
  in_progress: 'In progress',
  shipped: 'Shipped',
  measuring: 'Measuring',
  done: 'Done',
};

export const formatPercent = (value: number | null, signed = true) =>
  value === null ? '—' : `${signed && value > 0 ? '+' : ''}${Math.round(value)}%`;

/** "rising", "recurring" or "flagged": why a pattern is on the board. */
export function signalReasons(signal: SignalDto): string[] {
  return [signal.rising && 'rising', signal.recurring && 'recurring', signal.flags > 0 && `${signal.flags} flagged`].filter((reason): reason is string => Boolean(reason));
}
