import { useState, type FormEvent } from 'react';
import type { TeamDto, UpdateTeamRequest, UserDto } from '../../../../../contracts/api';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { useCreateTeam, useDeleteTeam, useUpdateTeam } from '../hooks/usePeople';

/** Leads and admins: teams, who is in them, and which are private (their tickets visible to members, leads and admins only). */
export function TeamsPage({ user }: { user: UserDto }) {
  const teams = useTeams();
  const users = useUsers();
  if (user.role !== 'admin' && user.role !== 'lead') return <p className="muted">Only leads and admins manage teams.</p>;
  const people = (users.data ?? []).filter((person) => person.isActive);
  return (
    <div className="people" data-testid="teams-page">
      <div className="people__header">
        <div>
          <h1>Teams</h1>
          <p className="muted">Each team has its own queue in the inbox. A private team’s tickets are seen only by its members, leads and admins.</p>
        </div>
      </div>
      <NewTeamForm />
      {teams.isError && <ErrorNotice error={teams.error} onRetry={() => void teams.refetch()} />}
      {teams.isPending && <p className="muted">Loading…</p>}
      {teams.data?.length === 0 && <p className="muted">No teams yet: create one above, then put people in it.</p>}
      <ul className="people__list" aria-label="Teams">
        {(teams.data ?? []).map((team) => (
          <TeamCard key={team.id} team={team} people={people} />
        ))}
      </ul>
    </div>
  );
}

function NewTeamForm() {
  const create = useCreateTeam();
  const [name, setName] = useState('');
  const [isPrivate, setPrivate] = useState(false);
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate({ name: name.trim(), isPrivate }, { onSuccess: () => setName('') });
  };
  return (
    <form className="people-form people-form--inline" onSubmit={submit} data-testid="team-form">
      <label className="field">
        <span className="field__label">New team</span>
        <input required placeholder="e.g. Billing" value={name} onChange={(event) => setName(event.target.value)} data-testid="team-name" />
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={isPrivate} onChange={(event) => setPrivate(event.target.checked)} data-testid="team-private" /> Private
      </label>
      <button type="submit" className="button button--primary" disabled={create.isPending} data-testid="team-create">
        Create team
      </button>
      {create.isError && (
        <p className="form-error" role="alert">
          {errorMessage(create.error)}
        </p>
      )}
    </form>
  );
}

function TeamCard({ team, people }: { team: TeamDto; people: UserDto[] }) {
  const update = useUpdateTeam();
  const remove = useDeleteTeam();
  const [confirming, setConfirming] = useState(false);
  // While a change is saved (and the lists reload), show it as made. Kept in state set in the click's own event:
  // the mutation's pending state reaches the render a tick later, and the box would flick back meanwhile.
  const [saving, setSaving] = useState<UpdateTeamRequest>({});
  const change = (changes: UpdateTeamRequest) => {
    setSaving(changes);
    update.mutate({ id: team.id, changes }, { onSettled: () => setSaving({}) });
  };
  const memberIds = saving.memberIds ?? team.memberIds;
  const isPrivate = saving.isPrivate ?? team.isPrivate;
  const setMember = (userId: string, member: boolean) => change({ memberIds: member ? [...memberIds, userId] : memberIds.filter((id) => id !== userId) });
  const error = update.error ?? remove.error;
  return (
    <li className="team-card" data-testid="team-card" data-team={team.name}>
      <div className="team-card__header">
        <h2>
          {team.name} {isPrivate && <span className="people-badge people-badge--private">Private</span>}
        </h2>
        <span className="muted">{memberIds.length === 1 ? '1 member' : `${memberIds.length} members`}</span>
        <label className="checkbox">
          <input type="checkbox" checked={isPrivate} disabled={update.isPending} onChange={(event) => change({ isPrivate: event.target.checked })} data-testid="team-card-private" /> Private
        </label>
        {confirming ? (
          <span className="person__actions">
            <button type="button" className="button button--small button--danger" onClick={() => remove.mutate(team.id)}>
              Delete {team.name}
            </button>
            <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(false)}>
              Cancel
            </button>
          </span>
        ) : (
          <button type="button" className="button button--small button--quiet" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </div>
      <fieldset className="team-card__members">
        <legend className="field__label">Members</legend>
        {people.length === 0 && <span className="muted">Nobody to add yet.</span>}
        {people.map((person) => (
          <label key={person.id} className="checkbox" data-testid="team-member">
            <input type="checkbox" checked={memberIds.includes(person.id)} disabled={update.isPending} onChange={(event) => setMember(person.id, event.target.checked)} /> {person.name}
            {person.status === 'invited' && <span className="muted"> (invited)</span>}
          </label>
        ))}
      </fieldset>
      {error && (
        <p className="form-error" role="alert">
          {errorMessage(error)}
        </p>
      )}
    </li>
  );
}
