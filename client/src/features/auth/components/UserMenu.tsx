import type { UserDto } from '../../../../../contracts/api';
import { routeHref } from '../../../routes';
import { useLogout } from '../hooks/useAuth';

export function UserMenu({ user }: { user: UserDto }) {
  const logout = useLogout();
  return (
    <div className="user-menu">
      <a className="user-menu__name" href={routeHref({ page: 'settings', section: 'profile' })} title={`${user.email}: my profile`} data-testid="current-user">
        {user.name || user.email}
      </a>
      <button
        type="button"
        className="button button--small button--quiet"
        data-testid="logout"
        disabled={logout.isPending}
        onClick={() => logout.mutate()}
      >
        Sign out
      </button>
    </div>
  );
}
