import type { UserDto } from '../../../../../contracts/api';
import type { SettingsSection as Section } from '../../../routes';
import { PeoplePage } from './PeoplePage';
import { ProfilePage } from './ProfilePage';
import { SettingsNav } from './SettingsNav';
import { TeamsPage } from './TeamsPage';
import '../people.css';

/** `#/settings/…`: the tabs, then the page of the section. */
export function SettingsSection({ user, section }: { user: UserDto; section: Section }) {
  return (
    <>
      <SettingsNav user={user} current={section} />
      {section === 'people' ? <PeoplePage user={user} /> : section === 'teams' ? <TeamsPage user={user} /> : <ProfilePage key={user.id} user={user} />}
    </>
  );
}
