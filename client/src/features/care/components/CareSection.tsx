import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import type { CareRoute, InitiativeRoute } from '../../../routes';
import { CareBoardPage } from './CareBoardPage';
import { InitiativePage } from './InitiativePage';

/** The care board and initiative pages (moves and new tickets show live through the app's one connection). */
export function CareSection({ route, user }: { route: CareRoute | InitiativeRoute; user: UserDto }) {
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="page page--wide">{route.page === 'initiative' ? <InitiativePage key={route.initiativeId} initiativeId={route.initiativeId} /> : <CareBoardPage />}</main>
    </div>
  );
}
