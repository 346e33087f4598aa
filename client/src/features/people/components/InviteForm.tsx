import { useState, type FormEvent } from 'react';
import type { InvitationDto, TeamDto } from '../../../../../contracts/api';
import { ROLES, type Role } from '../../../../../contracts/domain';
import { ApiError, errorMessage } from '../../../api/client';
import { useInviteUser } from '../hooks/usePeople';
import { ROLE_LABELS } from '../peopleLabels';

/** Invites one person: their address, name, role and teams. Shows where the invitation went, or the link to pass on. */
export function InviteForm({ teams, onClose }: { teams: TeamDto[]; onClose: () => void }) {
  const invite = useInviteUser();
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('agent');
  const [teamIds, setTeamIds] = useState<string[]>([]);
  const fieldError = (field: string) => (invite.error instanceof ApiError ? invite.error.fieldMessage(field) : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    invite.mutate({ email: email.trim(), name: name.trim(), role, teamIds });
  };

  if (invite.data) return <InvitationResult invitation={invite.data} onDone={onClose} onAnother={() => {
    invite.reset();
    setEmail('');
    setName('');
  }} />;

  return (
    <form className="people-form" onSubmit={submit} data-testid="invite-form">
      <h2>Invite someone</h2>
      <div className="people-form__row">
        <label className="field">
          <span className="field__label">Email</span>
          <input type="email" required value={email} onChange={(event) => setEmail(event.target.value)} data-testid="invite-email" aria-invalid={fieldError('email') ? true : undefined} />
          {fieldError('email') && <span className="field__error">{fieldError('email')}</span>}
        </label>
        <label className="field">
          <span className="field__label">Name</span>
          <input required value={name} onChange={(event) => setName(event.target.value)} data-testid="invite-name" />
        </label>
        <label className="field">
          <span className="field__label">Role</span>
          <select value={role} onChange={(event) => setRole(event.target.value as Role)} data-testid="invite-role">
            {ROLES.map((value) => (
              <option key={value} value={value}>
                {ROLE_LABELS[value]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {teams.length > 0 && (
        <fieldset className="people-form__teams">
          <legend className="field__label">Teams</legend>
          {teams.map((team) => (
            <label key={team.id} className="checkbox">
              <input
                type="checkbox"
                checked={teamIds.includes(team.id)}
                onChange={(event) => setTeamIds((ids) => (event.target.checked ? [...ids, team.id] : ids.filter((id) => id !== team.id)))}
              />{' '}
              {team.name}
              {team.isPrivate && <span className="people-badge">Private</span>}
            </label>
          ))}
        </fieldset>
      )}
      {invite.isError && !fieldError('email') && (
        <p className="form-error" role="alert">
          {errorMessage(invite.error)}
        </p>
      )}
      <div className="people-form__actions">
        <button type="submit" className="button button--primary" disabled={invite.isPending} data-testid="invite-submit">
          {invite.isPending ? 'Sending…' : 'Send invitation'}
        </button>
        <button type="button" className="button button--quiet" onClick={onClose}>
          Cancel
        </button>
      </div>
    </form>
  );
}

/** Where the invitation went; without a mailbox that can send, the link to copy and pass on. */
export function InvitationResult({ invitation, onDone, onAnother }: { invitation: InvitationDto; onDone: () => void; onAnother?: () => void }) {
  const [copied, setCopied] = useState(false);
  const copy = () => {
    void navigator.clipboard?.writeText(invitation.link).then(() => setCopied(true));
  };
  return (
    <div className="people-form invitation-result" data-testid="invitation-result" data-emailed={invitation.emailed}>
      <h2>{invitation.emailed ? `Invitation sent to ${invitation.user.email}` : `${invitation.user.name} is invited, but the email did not go out`}</h2>
      <p className={invitation.emailed ? 'muted' : 'form-error'}>
        {invitation.emailed ? `From ${invitation.emailedFrom}. The link works until ${new Date(invitation.expiresAt).toLocaleDateString()}.` : invitation.emailError}
      </p>
      <label className="field">
        <span className="field__label">{invitation.emailed ? 'The link, should they not find the email' : 'Copy this link and send it to them yourself'}</span>
        <span className="invitation-result__link">
          <input readOnly value={invitation.link} onFocus={(event) => event.target.select()} data-testid="invitation-link" />
          <button type="button" className="button" onClick={copy}>
            {copied ? 'Copied' : 'Copy link'}
          </button>
        </span>
      </label>
      <div className="people-form__actions">
        {onAnother && (
          <button type="button" className="button button--primary" onClick={onAnother}>
            Invite another
          </button>
        )}
        <button type="button" className="button button--quiet" onClick={onDone} data-testid="invitation-done">
          Done
        </button>
      </div>
    </div>
  );
}
