import { useState, type FormEvent } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { AVAILABILITIES, type Availability } from '../../../../../contracts/domain';
import { EMAIL_NOTIFICATION_KINDS, LEAD_NOTIFICATION_KINDS, NOTIFICATION_KINDS, type NotificationKind, type NotificationPreferences } from '../../../../../contracts/notifications';
import { ApiError, errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { navigate } from '../../../routes';
import { desktopNotificationsSupported, requestDesktopPermission } from '../../notifications/desktopNotifications';
import { useNotificationPreferences, useSaveNotificationPreferences } from '../../notifications/hooks/useNotifications';
import { NOTIFICATION_KIND_LABELS } from '../../notifications/notificationText';
import { useUpdateProfile } from '../hooks/usePeople';
import { AVAILABILITY_LABELS, ROLE_LABELS } from '../peopleLabels';

const TIME_ZONES: string[] = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

/** Everyone's own page: name, signature, time zone, availability, what they are told, and their password. */
export function ProfilePage({ user }: { user: UserDto }) {
  return (
    <div className="people profile" data-testid="profile-page">
      <div className="people__header">
        <div>
          <h1>My profile</h1>
          <p className="muted">
            {user.email} · {ROLE_LABELS[user.role]}
          </p>
        </div>
      </div>
      <ProfileForm user={user} />
      <NotificationChoices user={user} />
      <PasswordForm user={user} />
    </div>
  );
}

function ProfileForm({ user }: { user: UserDto }) {
  const update = useUpdateProfile();
  const [name, setName] = useState(user.name);
  const [signature, setSignature] = useState(user.signature);
  const [timeZone, setTimeZone] = useState(user.timeZone ?? '');
  const [availability, setAvailability] = useState<Availability>(user.availability);
  const fieldError = (field: string) => (update.error instanceof ApiError ? update.error.fieldMessage(field) : undefined);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    update.mutate({ id: user.id, changes: { name: name.trim(), signature, timeZone: timeZone.trim() || null, availability } });
  };
  return (
    <form className="people-form" onSubmit={submit} data-testid="profile-form">
      <h2>About me</h2>
      <div className="people-form__row">
        <label className="field">
          <span className="field__label">Name</span>
          <input required value={name} onChange={(event) => setName(event.target.value)} data-testid="profile-name" />
        </label>
        <label className="field">
          <span className="field__label">Time zone</span>
          <input list="time-zones" placeholder={`Browser: ${Intl.DateTimeFormat().resolvedOptions().timeZone}`} value={timeZone} onChange={(event) => setTimeZone(event.target.value)} data-testid="profile-time-zone" aria-invalid={fieldError('timeZone') ? true : undefined} />
          <datalist id="time-zones">
            {TIME_ZONES.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
          {fieldError('timeZone') && <span className="field__error">{fieldError('timeZone')}</span>}
        </label>
        <label className="field">
          <span className="field__label">Availability</span>
          <select value={availability} onChange={(event) => setAvailability(event.target.value as Availability)}>
            {AVAILABILITIES.map((value) => (
              <option key={value} value={value}>
                {AVAILABILITY_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      <label className="field">
        <span className="field__label">Signature (added below your replies)</span>
        <textarea rows={3} value={signature} onChange={(event) => setSignature(event.target.value)} data-testid="profile-signature" />
      </label>
      {update.isError && !fieldError('timeZone') && <ErrorNotice error={update.error} />}
      <div className="people-form__actions">
        <button type="submit" className="button button--primary" disabled={update.isPending} data-testid="profile-save">
          {update.isPending ? 'Saving…' : 'Save'}
        </button>
        {update.isSuccess && <span className="muted" role="status">Saved.</span>}
      </div>
    </form>
  );
}

function NotificationChoices({ user }: { user: UserDto }) {
  const preferences = useNotificationPreferences();
  const save = useSaveNotificationPreferences();
  const [permissionDenied, setPermissionDenied] = useState(false);
  const kinds = NOTIFICATION_KINDS.filter((kind) => user.role === 'lead' || user.role === 'admin' || !(LEAD_NOTIFICATION_KINDS as readonly NotificationKind[]).includes(kind));
  if (preferences.isPending) return <p className="muted">Loading your notification choices…</p>;
  if (preferences.isError) return <ErrorNotice error={preferences.error} onRetry={() => void preferences.refetch()} />;
  const current = preferences.data;
  const change = (next: Partial<NotificationPreferences>) => save.mutate({ ...current, ...next });
  const toggle = <T extends string>(list: T[], item: T, on: boolean) => (on ? [...list.filter((entry) => entry !== item), item] : list.filter((entry) => entry !== item));

  const setDesktop = async (on: boolean) => {
    if (on && !(await requestDesktopPermission())) {
      setPermissionDenied(true);
      return;
    }
    setPermissionDenied(false);
    change({ desktop: on });
  };

  return (
    <section className="people-form" aria-labelledby="notification-choices" data-testid="notification-choices">
      <h2 id="notification-choices">Notifications</h2>
      <p className="muted">Tell me in Careloop (the bell) when:</p>
      <div className="profile__choices">
        {kinds.map((kind) => (
          <label key={kind} className="checkbox">
            <input type="checkbox" checked={!current.muted.includes(kind)} onChange={(event) => change({ muted: toggle(current.muted, kind, !event.target.checked) })} data-testid={`notify-${kind}`} />{' '}
            {NOTIFICATION_KIND_LABELS[kind]}
          </label>
        ))}
      </div>
      <p className="muted">Also email me while I am away or offline when:</p>
      <div className="profile__choices">
        {EMAIL_NOTIFICATION_KINDS.map((kind) => (
          <label key={kind} className="checkbox">
            <input type="checkbox" checked={current.emailWhenAway.includes(kind)} onChange={(event) => change({ emailWhenAway: toggle(current.emailWhenAway, kind, event.target.checked) })} />{' '}
            {NOTIFICATION_KIND_LABELS[kind]}
          </label>
        ))}
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={current.desktop} disabled={!desktopNotificationsSupported()} onChange={(event) => void setDesktop(event.target.checked)} data-testid="notify-desktop" /> Show desktop
        notifications while Careloop is in a background tab
      </label>
      {!desktopNotificationsSupported() && <p className="muted">This browser does not offer desktop notifications.</p>}
      {permissionDenied && <p className="form-error">The browser did not allow notifications. Allow them for this site in the browser’s settings, then try again.</p>}
      {save.isError && <p className="form-error">{errorMessage(save.error)}</p>}
    </section>
  );
}

function PasswordForm({ user }: { user: UserDto }) {
  const update = useUpdateProfile();
  const [currentPassword, setCurrentPassword] = useState('');
  const [password, setPassword] = useState('');
  const fieldError = (field: string) => (update.error instanceof ApiError ? update.error.fieldMessage(field) : undefined);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // A new password ends every session, this one too: sign in again with it.
    update.mutate({ id: user.id, changes: { currentPassword, password } }, { onSuccess: () => navigate({ page: 'login', returnTo: { page: 'settings', section: 'profile' } }) });
  };
  return (
    <form className="people-form" onSubmit={submit} data-testid="password-form">
      <h2>Password</h2>
      <div className="people-form__row">
        <label className="field">
          <span className="field__label">Current password</span>
          <input type="password" autoComplete="current-password" required value={currentPassword} onChange={(event) => setCurrentPassword(event.target.value)} aria-invalid={fieldError('currentPassword') ? true : undefined} />
          {fieldError('currentPassword') && <span className="field__error">{fieldError('currentPassword')}</span>}
        </label>
        <label className="field">
          <span className="field__label">New password (10 characters or more)</span>
          <input type="password" autoComplete="new-password" minLength={10} required value={password} onChange={(event) => setPassword(event.target.value)} />
          {fieldError('password') && <span className="field__error">{fieldError('password')}</span>}
        </label>
      </div>
      <p className="muted">Changing it signs you out everywhere, here too.</p>
      <div className="people-form__actions">
        <button type="submit" className="button" disabled={update.isPending}>
          Change password
        </button>
      </div>
    </form>
  );
}
