import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import type { CareRoute, InitiativeRoute } from '../../../routes';
import { useLiveUpdates } from '../../realtime/hooks/useLiveUpdates';
import { CareBoardPage } from './CareBoardPage';
import { InitiativePage } from './InitiativePage';

/** The care board and initiative pages, with the socket connected so moves and new tickets show live. */
export function CareSection({ route, user }: { route: CareRoute | InitiativeRoute; user: UserDto }) {
  const liveStatus = useLiveUpdates();
  return (
    <div className="app-shell">
      <AppHeader user={user} liveStatus={liveStatus} />
      <main className="page page--wide">{route.page === 'initiative' ? <InitiativePage key={route.initiativeId} initiativeId={route.initiativeId} /> : <CareBoardPage />}</main>
    </div>
  );
}
