import type { SlaSummaryDto } from '../../../../../contracts/sla';
import { SLA_SOON_MINUTES } from '../../../../../contracts/views';
import { formatDateTime } from '../../../lib/format';
import { useNow } from '../../../lib/hooks';
import { formatDuration, formatMinutes, TARGET_KIND_LABELS } from '../slaFormat';

/** Under this much time left the badge turns amber: the ticket is in the "Due soon" view. */
const SOON_MS = SLA_SOON_MINUTES * 60_000;

/** The ticket's most pressing SLA target with a live countdown to its due time. */
export function SlaBadge({ sla }: { sla: SlaSummaryDto | null | undefined }) {
  const now = useNow(1000);
  if (!sla) return null;
  const kind = TARGET_KIND_LABELS[sla.kind];
  if (sla.dueAt === null) {
    return (
      <span className="badge sla-badge sla-badge--paused" title={`${kind}: paused`} data-testid="sla-badge">
        ⏸ {formatMinutes(sla.remainingMinutes)} left
      </span>
    );
  }
  const leftMs = Date.parse(sla.dueAt) - now;
  const state = leftMs <= 0 || sla.state === 'breached' ? 'breached' : leftMs < SOON_MS ? 'soon' : 'active';
  return (
    <span className={`badge sla-badge sla-badge--${state}`} title={`${kind} due ${formatDateTime(sla.dueAt)}`} data-testid="sla-badge">
      {leftMs > 0 ? `${formatDuration(leftMs)} left` : `${formatDuration(leftMs)} over`}
    </span>
  );
}
