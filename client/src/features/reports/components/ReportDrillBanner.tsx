import { routeHref } from '../../../routes';
import { useMailboxOptions, useTags, useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { reportViewQuery, type ReportTicketPageDto } from '../../../../../contracts/reports';
import { useTicketList } from '../../tickets/hooks/useTicketList';
import { drillScope, DRILL_TITLES, reportRouteOf } from '../drill';
import { dayLabel } from '../reportFormat';
import '../reports.css';

/**
 * Above an inbox list opened from a report: what the list is (the number it stands for, its period and
 * filters), how many tickets, and the way back to the report with the same period and filters.
 */
export function ReportDrillBanner({ viewId }: { viewId: string }) {
  const params = reportViewQuery(viewId);
  // The list's own query (same key, so no second request): its first page says how many tickets there are.
  const list = useTicketList({ report: viewId });
  const total = (list.data?.pages[0] as ReportTicketPageDto | undefined)?.total;
  const back = reportRouteOf(viewId);
  const { data: teams = [] } = useTeams();
  const { data: users = [] } = useUsers();
  const { data: tags = [] } = useTags();
  const { data: mailboxes = [] } = useMailboxOptions();
  const nameOf = (list: { id: string; name: string }[], id: string | undefined) => (id ? (list.find((item) => item.id === id)?.name ?? 'unknown') : null);
  // One day (a bar) says it all; otherwise the period.
  const period = params.day ? null : params.from && params.to ? `${dayLabel(params.from)} – ${dayLabel(params.to)}` : 'Last 30 days';
  const filters = [
    nameOf(teams, params.teamId) && `team ${nameOf(teams, params.teamId)}`,
    params.agentId && `agent ${users.find((user) => user.id === params.agentId)?.name ?? 'unknown'}`,
    nameOf(mailboxes, params.mailboxId) && `mailbox ${nameOf(mailboxes, params.mailboxId)}`,
    nameOf(tags, params.tagId) && `tag ${nameOf(tags, params.tagId)}`,
    params.priority && `${params.priority} priority`,
    params.plan && `plan ${params.plan}`,
    params.cycle && (params.cycle === 'first' ? 'customers in their first cycle' : 'customers past their first cycle'),
  ].filter(Boolean);
  return (
    <div className="report-drill" role="region" aria-label="From a report" data-testid="report-drill">
      <div className="report-drill__what">
        <span className="report-drill__kicker">From a report</span>
        <strong data-testid="report-drill-title">{DRILL_TITLES[params.metric ?? ''] ?? 'Tickets'}</strong>
        <span className="muted">
          {[...drillScope(params), period, ...filters].filter(Boolean).join(' · ')}
          {total !== null && total !== undefined && (
            <>
              {' · '}
              <span data-testid="report-drill-total">
                {total} {total === 1 ? 'ticket' : 'tickets'}
              </span>
            </>
          )}
        </span>
      </div>
      {back && (
        <a className="button button--small" href={routeHref(back)} data-testid="report-drill-back">
          ← Back to the report
        </a>
      )}
    </div>
  );
}
