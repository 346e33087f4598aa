import { useEffect, useState } from 'react';
import type { UserDto } from '../../../contracts/api';
import { UserMenu } from '../features/auth/components/UserMenu';
import { NotificationBell } from '../features/notifications/components/NotificationBell';
import { LiveStatusIndicator } from '../features/realtime/components/LiveStatusIndicator';
import { useLiveStatus } from '../features/realtime/LiveUpdatesProvider';
import { useSetupChecklist } from '../features/setup/hooks/useSetupChecklist';
import { DEFAULT_ROUTE, routeHref, useRoute, type Route, type SignedInRoute } from '../routes';
import { ThemeToggle } from './ThemeToggle';

type Role = UserDto['role'];

interface Section {
  label: string;
  route: SignedInRoute;
  /** The pages that count as being in this section. */
  pages: Route['page'][];
  /** null: everyone. */
  roles: Role[] | null;
  testId?: string;
}

const SECTIONS = (user: UserDto): Section[] => [
  { label: 'Inbox', route: DEFAULT_ROUTE, pages: ['inbox'], roles: null },
  { label: 'Reports', route: { page: 'reports', tab: 'overview', params: {} }, pages: ['reports'], roles: null },
  { label: 'SLA', route: { page: 'sla' }, pages: ['sla'], roles: null },
  { label: 'Macros', route: { page: 'macros' }, pages: ['macros'], roles: null },
  { label: 'Routing', route: { page: 'routing' }, pages: ['routing'], roles: ['admin', 'lead'] },
  { label: 'Tags', route: { page: 'tags' }, pages: ['tags'], roles: ['admin', 'lead', 'care_owner'] },
  { label: 'Care', route: { page: 'care' }, pages: ['care', 'initiative'], roles: ['admin', 'care_owner'] },
  { label: 'Care metrics', route: { page: 'care_metrics' }, pages: ['care_metrics'], roles: ['admin', 'care_owner', 'lead'] },
  { label: 'Journeys', route: { page: 'journeys' }, pages: ['journeys', 'journey'], roles: ['admin', 'care_owner'] },
  { label: 'Subscribers', route: { page: 'customers', params: {} }, pages: ['customers', 'customer'], roles: ['admin', 'care_owner'] },
  { label: 'Mailboxes', route: { page: 'mailboxes' }, pages: ['mailboxes', 'demo_outbox'], roles: ['admin'], testId: 'nav-mailboxes' },
  { label: 'System', route: { page: 'system' }, pages: ['system'], roles: ['admin'], testId: 'nav-system' },
  { label: 'Team', route: { page: 'settings', section: user.role === 'admin' ? 'people' : 'teams' }, pages: ['settings'], roles: ['admin', 'lead'], testId: 'nav-team' },
];

/** Which section the page belongs to; everyone's own profile is reached from their name, not "Team". */
function isCurrent(section: Section, route: Route): boolean {
  if (route.page === 'settings' && route.section === 'profile') return false;
  return section.pages.includes(route.page);
}

export function AppHeader({ user }: { user: UserDto }) {
  const liveStatus = useLiveStatus();
  const route = useRoute();
  const setup = useSetupChecklist(user);
  const [menuOpen, setMenuOpen] = useState(false);
  // Following a link (or Back) closes the phone menu.
  useEffect(() => setMenuOpen(false), [route.page]);
  const sections = SECTIONS(user).filter(({ roles }) => !roles || roles.includes(user.role));
  const current = sections.find((section) => isCurrent(section, route));
  return (
    <header className={menuOpen ? 'app-header app-header--menu-open' : 'app-header'}>
      <button type="button" className="app-header__menu-toggle" aria-expanded={menuOpen} aria-controls="app-sections" onClick={() => setMenuOpen(!menuOpen)} data-testid="nav-menu">
        <span className="app-header__menu-icon" aria-hidden="true" />
        <span className="visually-hidden">Menu</span>
      </button>
      <a className="app-header__brand" href={routeHref(DEFAULT_ROUTE)}>
        Careloop
      </a>
      {/* On a phone the menu is folded away; the header still says where you are. */}
      <span className="app-header__current" aria-hidden="true">
        {route.page === 'setup' ? 'Setup' : current?.label}
      </span>
      <nav className="app-header__nav" id="app-sections" aria-label="Sections">
        {user.role === 'admin' && setup.isSuccess && !setup.complete && (
          <a href={routeHref({ page: 'setup' })} className="app-header__setup" aria-current={route.page === 'setup' ? 'page' : undefined} data-testid="nav-setup">
            Setup <span className="app-header__badge">{`${setup.done}/${setup.steps.length}`}</span>
          </a>
        )}
        {sections.map((section) => (
          <a key={section.label} href={routeHref(section.route)} aria-current={section === current ? 'page' : undefined} data-testid={section.testId}>
            {section.label}
          </a>
        ))}
        <a href={routeHref({ page: 'settings', section: 'profile' })} className="app-header__profile" aria-current={route.page === 'settings' && route.section === 'profile' ? 'page' : undefined}>
          My profile ({user.name || user.email})
        </a>
      </nav>
      {liveStatus && <LiveStatusIndicator status={liveStatus} />}
      <NotificationBell />
      <ThemeToggle />
      <UserMenu user={user} />
    </header>
  );
}
