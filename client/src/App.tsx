import { lazy, Suspense, type ReactNode } from 'react';
import type { UserDto } from '../../contracts/api';
import { ApiError } from './api/client';
import { AppHeader } from './components/AppHeader';
import { ErrorNotice } from './components/ErrorNotice';
import { FullPageMessage } from './components/FullPageMessage';
import { useCurrentUser } from './features/auth/hooks/useAuth';
import { setDisplayTimeZone } from './lib/format';
import { MacrosPage } from './features/macros/components/MacrosPage';
import { DemoOutboxPage } from './features/mailboxes/components/DemoOutboxPage';
import { MailboxesPage } from './features/mailboxes/components/MailboxesPage';
import { RulesPage } from './features/routing/components/RulesPage';
import { SlaSettingsPage } from './features/sla/components/SlaSettingsPage';
import { TagManagementPage } from './features/tags/components/TagManagementPage';
import { JourneysSection } from './features/journeys/components/JourneysSection';
import { LiveUpdatesProvider } from './features/realtime/LiveUpdatesProvider';
import { SystemPage } from './features/system/components/SystemPage';
import { SettingsSection } from './features/people/components/SettingsSection';
import { SetupChecklist } from './features/setup/components/SetupChecklist';
import { WelcomePage } from './features/people/components/WelcomePage';
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { useRoute, type SignedInRoute } from './routes';

/** The care and report pages carry the chart library: loaded when first opened, so the inbox stays light. */
const CareSection = lazy(() => import('./features/care/components/CareSection').then((module) => ({ default: module.CareSection })));
const ReportsSection = lazy(() => import('./features/reports/components/ReportsSection').then((module) => ({ default: module.ReportsSection })));

export function App() {
  const route = useRoute();
  if (route.page === 'login') return <LoginPage returnTo={route.returnTo} />;
  if (route.page === 'welcome') return <WelcomePage token={route.token} />;
  return <SignedInApp route={route} />;
}

function SignedInApp({ route }: { route: SignedInRoute }) {
  const currentUser = useCurrentUser();
  if (currentUser.isSuccess) {
    // Idempotent: every time shown from here on is in this person's zone.
    setDisplayTimeZone(currentUser.data.timeZone);
    return (
      <LiveUpdatesProvider>
        <SignedInPage route={route} user={currentUser.data} />
      </LiveUpdatesProvider>
    );
  }
  if (currentUser.isPending) return <FullPageMessage>Loading…</FullPageMessage>;
  if (currentUser.isError) {
    // The API client is already taking the user to the login page.
    if (currentUser.error instanceof ApiError && currentUser.error.statusCode === 401) return null;
    return (
      <FullPageMessage>
        <ErrorNotice error={currentUser.error} onRetry={() => void currentUser.refetch()} />
      </FullPageMessage>
    );
  }
  return null;
}

/** One signed-in page; they all share the app's live connection. */
function SignedInPage({ route, user }: { route: SignedInRoute; user: UserDto }) {
  if (route.page === 'care' || route.page === 'care_metrics' || route.page === 'initiative') {
    return (
      <Suspense fallback={<FullPageMessage>Loading…</FullPageMessage>}>
        <CareSection route={route} user={user} />
      </Suspense>
    );
  }
  if (route.page === 'reports') {
    return (
      <Suspense fallback={<FullPageMessage>Loading…</FullPageMessage>}>
        <ReportsSection route={route} user={user} />
      </Suspense>
    );
  }
  if (route.page === 'journeys' || route.page === 'journey' || route.page === 'customers' || route.page === 'customer') {
    return <JourneysSection route={route} user={user} />;
  }
  if (route.page === 'inbox') return <InboxPage route={route} user={user} />;
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="page">{singleColumnPage(route, user)}</main>
    </div>
  );
}

/** The pages that are one column under the header. */
function singleColumnPage(route: SignedInRoute, user: UserDto): ReactNode {
  switch (route.page) {
    case 'system':
      return <SystemPage user={user} />;
    case 'macros':
      return <MacrosPage user={user} />;
    case 'routing':
      return <RulesPage />;
    case 'mailboxes':
      return <MailboxesPage user={user} />;
    case 'demo_outbox':
      return <DemoOutboxPage />;
    case 'tags':
      return <TagManagementPage />;
    case 'settings':
      return <SettingsSection user={user} section={route.section} />;
    case 'sla':
      return <SlaSettingsPage user={user} />;
    case 'setup':
      return <SetupChecklist user={user} />;
    default:
      return null;
  }
}
