import type { IntervalDto } from '../../../../../contracts/care-metrics';

/**
 * A difference and its 95% interval drawn against zero on a symmetric scale, so "the whole bar is right of the
 * line" reads as "clearly more" without statistics.
 */
export function IntervalBar({ interval, label }: { interval: IntervalDto; label: string }) {
  const reach = Math.max(Math.abs(interval.low), Math.abs(interval.high), 1e-9) * 1.15;
  const at = (value: number) => `${50 + (value / reach) * 50}%`;
  return (
    <div className="metrics-interval" role="img" aria-label={label}>
      <span className="metrics-interval__zero" />
      <span className="metrics-interval__range" style={{ left: at(interval.low), width: `${((interval.high - interval.low) / reach) * 50}%` }} />
      <span className="metrics-interval__estimate" style={{ left: at(interval.estimate) }} />
    </div>
  );
}
