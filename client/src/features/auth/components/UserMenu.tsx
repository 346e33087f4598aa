import type { UserDto } from '../../../../../contracts/api';
import { useLogout } from '../hooks/useAuth';

export function UserMenu({ user }: { user: UserDto }) {
  const logout = useLogout();
  return (
    <div className="user-menu">
      <span className="user-menu__name" title={user.email} data-testid="current-user">
        {user.name || user.email}
      </span>
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
