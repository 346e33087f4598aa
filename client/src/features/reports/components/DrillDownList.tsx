import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime } from '../../../lib/format';
import { routeHref } from '../../../routes';
import { useReport } from '../hooks/useReports';
import { dayLabel, formatDuration, WEEKDAYS } from '../reportFormat';

const METRIC_LABELS: Record<string, string> = {
  created: 'Tickets created',
  solved: 'Tickets solved',
  reopened: 'Tickets reopened',
  first_reply: 'First replies, slowest first',
  next_reply: 'Next replies, slowest first',
  no_reply: 'No reply yet, longest waiting first',
  resolution: 'Solved tickets, slowest first',
  one_touch: 'Solved with one touch',
  csat_good: 'Good ratings',
  csat_bad: 'Bad ratings',
  sla_breached: 'SLA targets breached',
};

/** The tickets behind a number or a bar, like a saved view: each opens in the inbox. */
export function DrillDownList({ params }: { params: Record<string, string> }) {
  const query = useReport('tickets', params);
  const scope = [
    params.day ? dayLabel(params.day) : null,
    params.weekday && params.hour ? `${WEEKDAYS[Number(params.weekday) - 1]} ${params.hour}:00–${params.hour}:59` : null,
    params.minSeconds ? `from ${formatDuration(Number(params.minSeconds))}` : null,
    params.maxSeconds ? `under ${formatDuration(Number(params.maxSeconds))}` : null,
  ].filter(Boolean);
  return (
    <section aria-labelledby="drill-title">
      <h2 id="drill-title">
        {METRIC_LABELS[params.metric ?? ''] ?? 'Tickets'}
        {scope.length > 0 && <span className="muted"> · {scope.join(', ')}</span>}
      </h2>
      {query.isPending && <p className="reports__state">Loading tickets…</p>}
      {query.isError && <ErrorNotice error={query.error} onRetry={() => void query.refetch()} />}
      {query.data && query.data.total === 0 && <p className="reports__state reports__empty">No tickets behind this number.</p>}
      {query.data && query.data.total > 0 && (
        <>
          <p className="muted" data-testid="drill-total">
            {query.data.total} tickets{query.data.total > query.data.tickets.length ? `, the first ${query.data.tickets.length} listed` : ''}
          </p>
          <table className="reports__table reports__tickets">
            <thead>
              <tr>
                <th scope="col">Ticket</th>
                <th scope="col">Team</th>
                <th scope="col">Assignee</th>
                <th scope="col">Created</th>
                <th scope="col">First reply</th>
                <th scope="col">Business hours</th>
                <th scope="col">Resolution</th>
                <th scope="col">Replies</th>
              </tr>
            </thead>
            <tbody>
              {query.data.tickets.map((ticket) => (
                <tr key={ticket.id} data-ticket-id={ticket.id}>
                  <th scope="row">
                    <a href={routeHref({ page: 'inbox', view: 'open', ticketId: ticket.id })}>
                      #{ticket.number} {ticket.subject}
                    </a>
                    <span className="muted"> · {ticket.status}</span>
                  </th>
                  <td>{ticket.teamName ?? '—'}</td>
                  <td>{ticket.assigneeName ?? '—'}</td>
                  <td>{formatDateTime(ticket.createdAt)}</td>
                  <td>{ticket.firstReplySeconds === null ? 'no reply yet' : formatDuration(ticket.firstReplySeconds)}</td>
                  <td>{formatDuration(ticket.firstReplyBusinessSeconds)}</td>
                  <td>{formatDuration(ticket.fullResolutionSeconds)}</td>
                  <td>{ticket.publicReplies}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
