import { useState } from 'react';
import type { InvitationDto, TeamDto, UserDto } from '../../../../../contracts/api';
import { AVAILABILITIES, ROLES, type Availability, type Role } from '../../../../../contracts/domain';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { useResendInvitation, useUpdateUser } from '../hooks/usePeople';
import { AVAILABILITY_LABELS, ROLE_LABELS, STATUS_LABELS } from '../peopleLabels';
import { InvitationResult, InviteForm } from './InviteForm';

/** Admins: everyone on the team, their role, teams, availability and capacity; invite and deactivate. */
export function PeoplePage({ user }: { user: UserDto }) {
  const users = useUsers();
  const teams = useTeams();
  const [inviting, setInviting] = useState(false);
  const [resent, setResent] = useState<InvitationDto | null>(null);
  if (user.role !== 'admin') return <p className="muted">Only admins manage people.</p>;
  const people = users.data ?? [];
  const active = people.filter((person) => person.status === 'active').length;
  const invited = people.filter((person) => person.status === 'invited').length;

  return (
    <div className="people" data-testid="people-page">
      <div className="people__header">
        <div>
          <h1>People</h1>
          <p className="muted">
            {users.isSuccess ? `${active} active${invited ? `, ${invited} invited` : ''}` : ' '}
          </p>
        </div>
        <button type="button" className="button button--primary" onClick={() => setInviting(true)} disabled={inviting} data-testid="invite-open">
          Invite someone
        </button>
      </div>
      {inviting && <InviteForm teams={teams.data ?? []} onClose={() => setInviting(false)} />}
      {resent && <InvitationResult invitation={resent} onDone={() => setResent(null)} />}
      {users.isError && <ErrorNotice error={users.error} onRetry={() => void users.refetch()} />}
      {users.isPending && <p className="muted">Loading…</p>}
      <ul className="people__list" aria-label="People">
        {people.map((person) => (
          <PersonRow key={person.id} person={person} teams={teams.data ?? []} isMe={person.id === user.id} onResent={setResent} />
        ))}
      </ul>
    </div>
  );
}

function PersonRow({ person, teams, isMe, onResent }: { person: UserDto; teams: TeamDto[]; isMe: boolean; onResent: (invitation: InvitationDto) => void }) {
  const update = useUpdateUser();
  const resend = useResendInvitation();
  const [capacity, setCapacity] = useState(String(person.capacity));
  const [confirming, setConfirming] = useState(false);
  const change = (changes: Parameters<typeof update.mutate>[0]['changes'], options?: { onSettled: () => void }) => update.mutate({ id: person.id, changes }, options);
  const teamNames = teams.filter((team) => person.teamIds.includes(team.id));
  const error = update.error ?? resend.error;

  return (
    <li className="person" data-status={person.status} data-testid="person-row" data-email={person.email}>
      <div className="person__identity">
        <strong>{person.name}</strong>
        <span className="muted person__email">{person.email}</span>
        <span className="person__teams">
          <span className={`people-badge people-badge--${person.status}`}>{STATUS_LABELS[person.status]}</span>
          {teamNames.map((team) => (
            <span key={team.id} className="people-badge">
              {team.name}
            </span>
          ))}
        </span>
      </div>
      <div className="person__controls">
        <label className="field">
          <span className="field__label">Role</span>
          <select value={person.role} disabled={isMe || !person.isActive} onChange={(event) => change({ role: event.target.value as Role })} data-testid="person-role">
            {ROLES.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Availability</span>
          <select value={person.availability} disabled={!person.isActive} onChange={(event) => change({ availability: event.target.value as Availability })}>
            {AVAILABILITIES.map((availability) => (
              <option key={availability} value={availability}>
                {AVAILABILITY_LABELS[availability]}
              </option>
            ))}
          </select>
        </label>
        <label className="field person__capacity">
          <span className="field__label">Capacity</span>
          <input
            type="number"
            min={0}
            max={1000}
            value={capacity}
            disabled={!person.isActive}
            onChange={(event) => setCapacity(event.target.value)}
            onBlur={() => Number(capacity) !== person.capacity && capacity !== '' && change({ capacity: Number(capacity) })}
            title="Open tickets routing gives this person at most"
          />
        </label>
        <div className="person__actions">
          {person.status === 'invited' && (
            <button type="button" className="button button--small" disabled={resend.isPending} onClick={() => resend.mutate(person.id, { onSuccess: onResent })}>
              Resend invitation
            </button>
          )}
          {!isMe && person.isActive && !confirming && (
            <button type="button" className="button button--small button--danger" disabled={update.isPending} data-testid="person-deactivate" onClick={() => setConfirming(true)}>
              Deactivate
            </button>
          )}
          {!isMe && !person.isActive && (
            <button type="button" className="button button--small" disabled={update.isPending} onClick={() => change({ isActive: true })}>
              Reactivate
            </button>
          )}
        </div>
      </div>
      {confirming && (
        <div className="person__confirm" role="alertdialog" aria-label={`Deactivate ${person.name}`}>
          <span>
            Deactivate {person.name}? They are signed out everywhere and can no longer sign in; their open tickets go back to their team&apos;s queue.
          </span>
          <span className="person__actions">
            <button
              type="button"
              className="button button--small button--danger"
              data-testid="person-deactivate-confirm"
              onClick={() => change({ isActive: false }, { onSettled: () => setConfirming(false) })}
            >
              Deactivate
            </button>
            <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        </div>
      )}
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </li>
  );
}
