import type { UserDto } from '../../../contracts/api';
import { AppHeader } from '../components/AppHeader';
import { FullPageMessage } from '../components/FullPageMessage';
import { ShortcutsOverlay } from '../features/keyboard/components/ShortcutsOverlay';
import { TicketListPanel } from '../features/tickets/components/TicketListPanel';
import { TicketView } from '../features/tickets/components/TicketView';
import { ViewSidebar } from '../features/views/components/ViewSidebar';
import { useInboxViews, type InboxView } from '../features/views/hooks/useViews';
import { ReportDrillBanner } from '../features/reports/components/ReportDrillBanner';
import { DRILL_TITLES } from '../features/reports/drill';
import { reportViewParams } from '../../../contracts/reports';
import { SetupChecklist } from '../features/setup/components/SetupChecklist';
import { useSetupChecklist } from '../features/setup/hooks/useSetupChecklist';
import { routeHref, type InboxRoute } from '../routes';

export function InboxPage({ route, user }: { route: InboxRoute; user: UserDto }) {
  const { views: ownViews, loading } = useInboxViews(user);
  // A report's drill-down is a view of its own for as long as it is open (its id carries the query).
  const drill = reportViewParams(route.view);
  const reportView: InboxView | null = drill ? { id: route.view, label: DRILL_TITLES[drill.metric ?? ''] ?? 'Tickets', filter: {}, section: 'report', report: route.view } : null;
  const views = reportView ? [reportView, ...ownViews] : ownViews;
  // Team and saved views are known once loaded; an unknown view then falls back to the first one.
  const view = reportView ?? views.find((candidate) => candidate.id === route.view) ?? (loading ? undefined : views[0]);
  const listHref = routeHref({ ...route, ticketId: null });
  return (
    <div className='app-shell'>
      <AppHeader user={user} />
      {/* On narrow screens only one of list and ticket shows; the modifier says which. */}
      <div className={route.ticketId ? 'inbox inbox--ticket-open' : 'inbox'}>
        <ViewSidebar views={views} activeViewId={view?.id ?? route.view} />
        {view ? (
          <TicketListPanel key={view.id} view={view} selectedTicketId={route.ticketId} banner={view.report ? <ReportDrillBanner viewId={view.report} /> : undefined} />
        ) : (
          <FullPageMessage>Loading views…</FullPageMessage>
        )}
        <main className='ticket-pane'>
          {route.ticketId ? (
            <TicketView key={route.ticketId} ticketId={route.ticketId} viewId={route.view} listHref={listHref} user={user} />
          ) : (
            <EmptyTicketPane user={user} />
          )}
        </main>
      </div>
      <ShortcutsOverlay />
    </div>
  );
}

/** Until the workspace is set up, an admin's inbox opens on the setup checklist; then on a hint. */
function EmptyTicketPane({ user }: { user: UserDto }) {
  const setup = useSetupChecklist(user);
  if (setup.isSuccess && !setup.complete) {
    return (
      <div className='ticket-pane__setup'>
        <SetupChecklist user={user} />
      </div>
    );
  }
  return <p className='ticket-pane__empty muted'>Select a ticket to read it, or press j and Enter. Press ? for all shortcuts.</p>;
}
