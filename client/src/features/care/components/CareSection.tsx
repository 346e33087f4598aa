import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import type { CareMetricsRoute, CareRoute, InitiativeRoute } from '../../../routes';
import { CareMetricsPage } from '../../care-metrics/components/CareMetricsPage';
import { useLiveUpdates } from '../../realtime/hooks/useLiveUpdates';
import { CareBoardPage } from './CareBoardPage';
import { InitiativePage } from './InitiativePage';

/** The care board, care metrics and initiative pages, with the socket connected so moves and new tickets show live. */
export function CareSection({ route, user }: { route: CareRoute | CareMetricsRoute | InitiativeRoute; user: UserDto }) {
  const liveStatus = useLiveUpdates();
  return (
    <div className="app-shell">
      <AppHeader user={user} liveStatus={liveStatus} />
      <main className="page page--wide">
        {route.page === 'initiative' ? <InitiativePage key={route.initiativeId} initiativeId={route.initiativeId} /> : route.page === 'care_metrics' ? <CareMetricsPage /> : <CareBoardPage />}
      </main>
    </div>
  );
}
