import { useEffect } from 'react';
import type { DrillDownRequest } from '../../../../../contracts/care-metrics';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { routeHref } from '../../../routes';
import { drillDownCsvHref } from '../api/careMetrics.api';
import { useDrillDown } from '../hooks/useCareMetrics';

export interface DrillDown {
  title: string;
  query: DrillDownRequest;
}

/** The customers (or tickets) behind a figure, each linked; all of them as CSV. */
export function DrillDownDialog({ drillDown, onClose }: { drillDown: DrillDown; onClose: () => void }) {
  const rows = useDrillDown(drillDown.query);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="care-dialog" role="dialog" aria-modal="true" aria-label={drillDown.title} onClick={onClose}>
      <div className="care-dialog__body metrics-drill" onClick={(event) => event.stopPropagation()} data-testid="drill-down">
        <header className="metrics-drill__header">
          <h2>{drillDown.title}</h2>
          <button type="button" className="button button--quiet" onClick={onClose} aria-label="Close">
            ✕
          </button>
        </header>
        {rows.isPending && <p className="muted">Loading…</p>}
        {rows.isError && <ErrorNotice error={rows.error} onRetry={() => void rows.refetch()} />}
        {rows.data && (
          <>
            <p className="muted">
              {rows.data.total === 0 ? 'Nobody here.' : rows.data.total > rows.data.rows.length ? `The newest ${rows.data.rows.length} of ${rows.data.total}.` : `${rows.data.total} in all.`}{' '}
              <a href={drillDownCsvHref(drillDown.query)} download>
                Download CSV
              </a>
            </p>
            <ul className="metrics-drill__list">
              {rows.data.rows.map((row) => (
                <li key={`${row.customerId}:${row.ticketId ?? ''}:${row.answeredAt ?? ''}`}>
                  <a href={routeHref({ page: 'customer', customerId: row.customerId })}>{row.name ?? row.email}</a>
                  <span className="muted">
                    {row.name ? ` ${row.email} · ` : ' '}
                    {row.subscriptionStatus}
                    {row.cancellationKind ? ` (${row.cancellationKind})` : ''}
                  </span>
                  {row.score !== null && (
                    <span className="metrics-drill__answer">
                      Answered {row.score}
                      {row.answeredAt ? ` on ${new Date(row.answeredAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}` : ''}
                      {row.comment ? `: “${row.comment}”` : ''}
                    </span>
                  )}
                  {row.ticketId && (
                    <a className="metrics-drill__ticket" href={routeHref({ page: 'inbox', view: 'open', ticketId: row.ticketId })}>
                      #{row.ticketNumber} {row.ticketSubject}
                    </a>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
