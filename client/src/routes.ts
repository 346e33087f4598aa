import { useSyncExternalStore } from 'react';
import { BUILTIN_VIEWS } from '../../contracts/views';

/**
 * Hash routing: the server only has to serve `index.html` at `/`, and deep links survive reloads
 * without a fallback route. Routes: `#/login?next=…`, `#/inbox/<view>`, `#/inbox/<view>/<ticketId>`, `#/sla`, `#/tags`,
 * `#/care`, `#/care/metrics`, `#/care/<initiativeId>`, `#/reports/<tab>?<period and filters>`, `#/journeys`, `#/journeys/<journeyId or new>`, `#/customers`, `#/customers/<customerId>`, `#/macros`, `#/routing`, `#/mailboxes`, `#/mailboxes/demo-outbox`, `#/system`, `#/setup` (the first-run checklist),
 * `#/settings/<people|teams|profile>` and `#/welcome?token=…` (an invitation's set-password page).
 */
export type Route = { page: 'login'; returnTo: SignedInRoute | null } | WelcomeRoute | SignedInRoute;
/** The set-password page an invitation links to (no session yet). */
export interface WelcomeRoute {
  page: 'welcome';
  token: string;
}
/** The pages behind the login. */
export type SignedInRoute = ReportsRoute | InboxRoute | SlaRoute | TagsRoute | CareRoute | CareMetricsRoute | InitiativeRoute | JourneysRoute | JourneyRoute | CustomersRoute | CustomerRoute | MacrosRoute | RoutingRoute | MailboxesRoute | SystemRoute | SettingsRoute | SetupRoute | DemoOutboxRoute;
/** `#/settings/people`, `#/settings/teams` and everyone's own `#/settings/profile`. */
export interface SettingsRoute {
  page: 'settings';
  section: SettingsSection;
}
export const SETTINGS_SECTIONS = ['people', 'teams', 'profile'] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];
export const REPORT_TABS = ['overview', 'volume', 'response-times', 'resolution', 'sla', 'satisfaction', 'agents', 'settings', 'tickets'] as const;
export type ReportTab = (typeof REPORT_TABS)[number];
/** A report page; `params` holds the period, the filters and (for `tickets`) the drill-down, so a link can be shared. */
export interface ReportsRoute {
  page: 'reports';
  tab: ReportTab;
  params: Record<string, string>;
}
export interface SlaRoute {
  page: 'sla';
}
export interface TagsRoute {
  page: 'tags';
}
export interface CareRoute {
  page: 'care';
}
export interface CareMetricsRoute {
  page: 'care_metrics';
}
export interface InitiativeRoute {
  page: 'initiative';
  initiativeId: string;
}
export interface JourneysRoute {
  page: 'journeys';
}
export interface JourneyRoute {
  page: 'journey';
  /** `new` for the editor of a journey not saved yet. */
  journeyId: string;
}
/** The subscribers table; `params` holds its search, filters, sort and page (`after`/`before`), so a link or Back keeps them. */
export interface CustomersRoute {
  page: 'customers';
  params: Record<string, string>;
}
export interface CustomerRoute {
  page: 'customer';
  customerId: string;
}
export interface MacrosRoute {
  page: 'macros';
}
export interface RoutingRoute {
  page: 'routing';
}
export interface MailboxesRoute {
  page: 'mailboxes';
}
export interface SystemRoute {
  page: 'system';
}
export interface SetupRoute {
  page: 'setup';
}
/** What the demo mailbox kept instead of sending. */
export interface DemoOutboxRoute {
  page: 'demo_outbox';
}
export interface InboxRoute {
  page: 'inbox';
  /**
   * A built-in view id, `team:<id>`, `saved:<id>`, or `report:<query>` (the tickets behind a report's number);
   * the inbox falls back to the first view for one it does not know.
   */
  view: string;
  ticketId: string | null;
}

export const DEFAULT_ROUTE: InboxRoute = { page: 'inbox', view: BUILTIN_VIEWS[0].id, ticketId: null };

function parsePath(path: string): Route {
  const [pathname = '', search = ''] = path.split('?');
  const [page, view, ticketId] = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  if (page === 'login') {
    const next = new URLSearchParams(search).get('next');
    const returnTo = next ? parsePath(next) : null;
    return { page: 'login', returnTo: returnTo && returnTo.page !== 'login' && returnTo.page !== 'welcome' ? returnTo : null };
  }
  if (page === 'welcome') return { page: 'welcome', token: new URLSearchParams(search).get('token') ?? '' };
  if (page === 'settings') return { page: 'settings', section: (SETTINGS_SECTIONS as readonly string[]).includes(view ?? '') ? (view as SettingsSection) : 'profile' };
  if (page === 'inbox' && view) return { page: 'inbox', view, ticketId: ticketId ?? null };
  if (page === 'sla') return { page: 'sla' };
  if (page === 'reports') {
    const tab = REPORT_TABS.find((known) => known === view) ?? 'overview';
    return { page: 'reports', tab, params: Object.fromEntries(new URLSearchParams(search)) };
  }
  if (page === 'tags') return { page: 'tags' };
  if (page === 'macros') return { page: 'macros' };
  if (page === 'routing') return { page: 'routing' };
  if (page === 'mailboxes') return view === 'demo-outbox' ? { page: 'demo_outbox' } : { page: 'mailboxes' };
  if (page === 'care' && view === 'metrics') return { page: 'care_metrics' };
  if (page === 'system') return { page: 'system' };
  if (page === 'setup') return { page: 'setup' };
  if (page === 'care') return view ? { page: 'initiative', initiativeId: view } : { page: 'care' };
  if (page === 'journeys') return view ? { page: 'journey', journeyId: view } : { page: 'journeys' };
  if (page === 'customers') return view ? { page: 'customer', customerId: view } : { page: 'customers', params: Object.fromEntries(new URLSearchParams(search)) };
  return DEFAULT_ROUTE;
}

/** `?a=1&b=2` for the parameters with a value; nothing without any. */
function searchOf(params: Record<string, string>): string {
  const search = new URLSearchParams(Object.entries(params).filter(([, value]) => value !== '')).toString();
  return search ? `?${search}` : '';
}

function routePath(route: Route): string {
  if (route.page === 'login') {
    return route.returnTo ? `/login?next=${encodeURIComponent(routePath(route.returnTo))}` : '/login';
  }
  if (route.page === 'welcome') return `/welcome?token=${encodeURIComponent(route.token)}`;
  if (route.page === 'settings') return `/settings/${route.section}`;
  if (route.page === 'sla') return '/sla';
  if (route.page === 'reports') return `/reports/${route.tab}${searchOf(route.params)}`;
  if (route.page === 'tags') return '/tags';
  if (route.page === 'macros') return '/macros';
  if (route.page === 'routing') return '/routing';
  if (route.page === 'mailboxes') return '/mailboxes';
  if (route.page === 'demo_outbox') return '/mailboxes/demo-outbox';
  if (route.page === 'system') return '/system';
  if (route.page === 'setup') return '/setup';
  if (route.page === 'care') return '/care';
  if (route.page === 'care_metrics') return '/care/metrics';
  if (route.page === 'initiative') return `/care/${encodeURIComponent(route.initiativeId)}`;
  if (route.page === 'journeys') return '/journeys';
  if (route.page === 'journey') return `/journeys/${encodeURIComponent(route.journeyId)}`;
  if (route.page === 'customers') return `/customers${searchOf(route.params)}`;
  if (route.page === 'customer') return `/customers/${encodeURIComponent(route.customerId)}`;
  // A report's drill-down view carries its query in the id ('report:metric=…&from=…'); '/', '?', '#' and '%' in it are escaped.
  const base = `/inbox/${route.view.replace(/[%/?#]/g, encodeURIComponent)}`;
  return route.ticketId ? `${base}/${encodeURIComponent(route.ticketId)}` : base;
}

export function routeHref(route: Route): string {
  return `#${routePath(route)}`;
}

export function currentRoute(): Route {
  return parsePath(window.location.hash.replace(/^#/, ''));
}

export function navigate(route: Route, options: { replace?: boolean } = {}): void {
  const href = routeHref(route);
  // location.replace on a hash-only change still fires `hashchange`, without a history entry.
  if (options.replace) window.location.replace(href);
  else window.location.hash = href;
}

function subscribeToHash(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribeToHash, () => window.location.hash);
  return parsePath(hash.replace(/^#/, ''));
}
