import type { UserDto } from '../../../contracts/api';
import { UserMenu } from '../features/auth/components/UserMenu';
import { NotificationBell } from '../features/notifications/components/NotificationBell';
import { LiveStatusIndicator } from '../features/realtime/components/LiveStatusIndicator';
import { useLiveStatus } from '../features/realtime/LiveUpdatesProvider';
import { DEFAULT_ROUTE, routeHref } from '../routes';

export function AppHeader({ user }: { user: UserDto }) {
  const liveStatus = useLiveStatus();
  return (
    <header className="app-header">
      <a className="app-header__brand" href={routeHref(DEFAULT_ROUTE)}>
        Careloop
      </a>
      <nav className="app-header__nav" aria-label="Sections">
        <a href={routeHref(DEFAULT_ROUTE)}>Inbox</a>
        <a href={routeHref({ page: 'reports', tab: 'overview', params: {} })}>Reports</a>
        <a href={routeHref({ page: 'sla' })}>SLA</a>
        <a href={routeHref({ page: 'macros' })}>Macros</a>
        {['admin', 'lead'].includes(user.role) && <a href={routeHref({ page: 'routing' })}>Routing</a>}
        {['admin', 'lead', 'care_owner'].includes(user.role) && <a href={routeHref({ page: 'tags' })}>Tags</a>}
        {['admin', 'care_owner'].includes(user.role) && <a href={routeHref({ page: 'care' })}>Care</a>}
        {['admin', 'care_owner', 'lead'].includes(user.role) && <a href={routeHref({ page: 'care_metrics' })}>Care metrics</a>}
        {['admin', 'care_owner'].includes(user.role) && <a href={routeHref({ page: 'journeys' })}>Journeys</a>}
        {['admin', 'care_owner'].includes(user.role) && <a href={routeHref({ page: 'customers' })}>Subscribers</a>}
        {user.role === 'admin' && (
          <a href={routeHref({ page: 'mailboxes' })} data-testid="nav-mailboxes">
            Mailboxes
          </a>
        )}
        {user.role === 'admin' && (
          <a href={routeHref({ page: 'system' })} data-testid="nav-system">
            System
          </a>
        )}
        {['admin', 'lead'].includes(user.role) && (
          <a href={routeHref({ page: 'settings', section: user.role === 'admin' ? 'people' : 'teams' })} data-testid="nav-team">
            Team
          </a>
        )}
      </nav>
      {liveStatus && <LiveStatusIndicator status={liveStatus} />}
      <NotificationBell />
      <UserMenu user={user} />
    </header>
  );
}
