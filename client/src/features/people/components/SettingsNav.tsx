import type { UserDto } from '../../../../../contracts/api';
import { routeHref, type SettingsSection } from '../../../routes';

const SECTIONS: { section: SettingsSection; label: string; roles: UserDto['role'][] | null }[] = [
  { section: 'profile', label: 'My profile', roles: null },
  { section: 'people', label: 'People', roles: ['admin'] },
  { section: 'teams', label: 'Teams', roles: ['admin', 'lead'] },
];

/** Tabs between the settings pages this person may open. */
export function SettingsNav({ user, current }: { user: UserDto; current: SettingsSection }) {
  return (
    <nav className="settings-nav" aria-label="Settings">
      {SECTIONS.filter(({ roles }) => !roles || roles.includes(user.role)).map(({ section, label }) => (
        <a key={section} href={routeHref({ page: 'settings', section })} aria-current={section === current ? 'page' : undefined} data-testid={`settings-tab-${section}`}>
          {label}
        </a>
      ))}
    </nav>
  );
}
