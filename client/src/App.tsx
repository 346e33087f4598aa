import { lazy, Suspense } from 'react';
import type { UserDto } from '../../contracts/api';
import { ApiError } from './api/client';
import { AppHeader } from './components/AppHeader';
import { ErrorNotice } from './components/ErrorNotice';
import { FullPageMessage } from './components/FullPageMessage';
import { useCurrentUser } from './features/auth/hooks/useAuth';
import { MacrosPage } from './features/macros/components/MacrosPage';
import { MailboxesPage } from './features/mailboxes/components/MailboxesPage';
import { RulesPage } from './features/routing/components/RulesPage';
import { SlaSettingsPage } from './features/sla/components/SlaSettingsPage';
import { TagManagementPage } from './features/tags/components/TagManagementPage';
import { JourneysSection } from './features/journeys/components/JourneysSection';
import { LiveUpdatesProvider } from './features/realtime/LiveUpdatesProvider';
import { SystemPage } from './features/system/components/SystemPage';
import { SettingsSection } from './features/people/components/SettingsSection';
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
  if (route.page === 'system') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main className="page">
          <SystemPage user={user} />
        </main>
      </div>
    );
  }
  if (route.page === 'macros' || route.page === 'routing' || route.page === 'mailboxes') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main className="page">{route.page === 'macros' ? <MacrosPage user={user} /> : route.page === 'routing' ? <RulesPage /> : <MailboxesPage user={user} />}</main>
      </div>
    );
  }
  if (route.page === 'tags') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main className="page">
          <TagManagementPage />
        </main>
      </div>
    );
  }
  if (route.page === 'settings') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main className="page">
          <SettingsSection user={user} section={route.section} />
        </main>
      </div>
    );
  }
  if (route.page === 'sla') {
    return (
      <div className="app-shell">
        <AppHeader user={user} />
        <main className="page">
          <SlaSettingsPage user={user} />
        </main>
      </div>
    );
  }
  return <InboxPage route={route} user={user} />;
}
