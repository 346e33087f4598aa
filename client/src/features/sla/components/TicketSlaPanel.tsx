import { ErrorNotice } from '../../../components/ErrorNotice';
import { useNow } from '../../../lib/hooks';
import { useTicketSla } from '../hooks/useSla';
import { formatDuration, formatMinutes, formatTarget, SLA_STATE_LABELS, TARGET_KIND_LABELS } from '../slaFormat';

/** A ticket's SLA targets: state, time used against the target, and the countdown to the due time. */
export function TicketSlaPanel({ ticketId }: { ticketId: string }) {
  const sla = useTicketSla(ticketId);
  const now = useNow(1000);
  if (sla.isPending) return null;
  if (sla.isError) return <ErrorNotice error={sla.error} onRetry={() => void sla.refetch()} />;
  if (sla.data.targets.length === 0) return null;
  return (
    <section className="sla-panel" aria-label="SLA" data-testid="sla-panel">
      <h2 className="sla-panel__title">SLA{sla.data.policy && <span className="muted"> · {sla.data.policy.name}</span>}</h2>
      <ul className="sla-panel__targets">
        {sla.data.targets.map((target) => {
          const leftMs = target.dueAt && target.state === 'active' ? Date.parse(target.dueAt) - now : null;
          return (
            <li key={target.id} className={`sla-target sla-target--${target.state}`}>
              <span className="sla-target__kind">{TARGET_KIND_LABELS[target.kind]}</span>
              <span className="sla-target__state">{SLA_STATE_LABELS[target.state]}</span>
              <span className="sla-target__used">
                {formatMinutes(target.spentMinutes)} of {formatTarget(target.targetMinutes)} used
              </span>
              {leftMs !== null && <span className="sla-target__due">{leftMs > 0 ? `due in ${formatDuration(leftMs)}` : 'due now'}</span>}
            </li>
          );
        })}
      </ul>
    </section>
  );
}
