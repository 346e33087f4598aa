import { lazy, Suspense } from 'react';
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
import { InboxPage } from './pages/InboxPage';
import { LoginPage } from './pages/LoginPage';
import { useRoute, type SignedInRoute } from './routes';

/** The care pages carry the chart library: loaded when first opened, so the inbox stays light. */
const CareSection = lazy(() => import('./features/care/components/CareSection').then((module) => ({ default: module.CareSection })));

export function App() {
  const route = useRoute();
  if (route.page === 'login') return <LoginPage returnTo={route.returnTo} />;
  return <SignedInApp route={route} />;
}

function SignedInApp({ route }: { route: SignedInRoute }) {
  const currentUser = useCurrentUser();
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
  if (route.page === 'care' || route.page === 'care_metrics' || route.page === 'initiative') {
    return (
      <Suspense fallback={<FullPageMessage>Loading…</FullPageMessage>}>
        <CareSection route={route} user={currentUser.data} />
      </Suspense>
    );
  }
  if (route.page === 'journeys' || route.page === 'journey' || route.page === 'customers' || route.page === 'customer') {
    return <JourneysSection route={route} user={currentUser.data} />;
  }
  if (route.page === 'macros' || route.page === 'routing' || route.page === 'mailboxes') {
    return (
      <div className="app-shell">
        <AppHeader user={currentUser.data} liveStatus={null} />
        <main className="page">{route.page === 'macros' ? <MacrosPage user={currentUser.data} /> : route.page === 'routing' ? <RulesPage /> : <MailboxesPage user={currentUser.data} />}</main>
      </div>
    );
  }
  if (route.page === 'tags') {
    return (
      <div className="app-shell">
        <AppHeader user={currentUser.data} liveStatus={null} />
        <main className="page">
          <TagManagementPage />
        </main>
      </div>
    );
  }
  if (route.page === 'sla') {
    return (
      <div className="app-shell">
        <AppHeader user={currentUser.data} liveStatus={null} />
        <main className="page">
          <SlaSettingsPage user={currentUser.data} />
        </main>
      </div>
    );
  }
  return <InboxPage route={route} user={currentUser.data} />;
}
