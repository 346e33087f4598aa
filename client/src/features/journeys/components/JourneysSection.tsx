import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import type { CustomerRoute, CustomersRoute, JourneyRoute, JourneysRoute } from '../../../routes';
import { CustomerPage } from '../../customers/components/CustomerPage';
import { SubscribersPage } from '../../customers/components/SubscribersPage';
import { JourneyEditorPage } from './JourneyEditor';
import { JourneysPage } from './JourneysPage';
import '../journeys.css';

/** The care owner's pages: journeys and their editor, subscribers and the customer 360. */
export function JourneysSection({ route, user }: { route: JourneysRoute | JourneyRoute | CustomersRoute | CustomerRoute; user: UserDto }) {
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="page page--wide">
        {route.page === 'journeys' && <JourneysPage />}
        {route.page === 'journey' && <JourneyEditorPage key={route.journeyId} journeyId={route.journeyId} />}
        {route.page === 'customers' && <SubscribersPage params={route.params} user={user} />}
        {route.page === 'customer' && <CustomerPage key={route.customerId} customerId={route.customerId} user={user} />}
      </main>
    </div>
  );
}
