import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import type { CareMetricsRoute, CareRoute, InitiativeRoute } from '../../../routes';
import { CareMetricsPage } from '../../care-metrics/components/CareMetricsPage';
import { CareBoardPage } from './CareBoardPage';
import { InitiativePage } from './InitiativePage';

/** The care board, care metrics and initiative pages (moves and new tickets show live through the app's one connection). */
export function CareSection({ route, user }: { route: CareRoute | CareMetricsRoute | InitiativeRoute; user: UserDto }) {
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="page page--wide">
        {route.page === 'initiative' ? <InitiativePage key={route.initiativeId} initiativeId={route.initiativeId} /> : route.page === 'care_metrics' ? <CareMetricsPage /> : <CareBoardPage />}
      </main>
    </div>
  );
}
