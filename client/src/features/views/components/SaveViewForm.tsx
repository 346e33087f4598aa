import { useState, type FormEvent } from 'react';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketPriority, type TicketStatus } from '../../../../../contracts/domain';
import { VIEW_SHARER_ROLES, type ViewFilter } from '../../../../../contracts/views';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useCurrentUser } from '../../auth/hooks/useAuth';
import { PRIORITY_LABELS, STATUS_LABELS } from '../../tickets/ticketLabels';
import { useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { useCreateSavedView, useUpdateSavedView } from '../hooks/useViews';

/** "Any" in a select: the filter leaves that field out. */
const ANY = '';

/** The saved view being edited: its id (without the sidebar's prefix), name, filter and sharing. */
export interface EditedView {
  id: string;
  name: string;
  filter: ViewFilter;
  shared: boolean;
}

/** A saved view: a named filter over status, assignee, team, tag, priority and text, personal or shared. */
export function SaveViewForm({ onDone, view }: { onDone: () => void; view?: EditedView }) {
  const create = useCreateSavedView();
  const update = useUpdateSavedView();
  const saving = view ? update : create;
  const { data: users = [] } = useUsers();
  const { data: teams = [] } = useTeams();
  const [name, setName] = useState(view?.name ?? '');
  const [statuses, setStatuses] = useState<TicketStatus[]>(view ? (view.filter.status ?? []) : ['new', 'open']);
  const [assignee, setAssignee] = useState(view?.filter.assignee ?? ANY);
  const [team, setTeam] = useState(view?.filter.team ?? ANY);
  const [priority, setPriority] = useState<TicketPriority | typeof ANY>(view?.filter.priority?.[0] ?? ANY);
  const [tag, setTag] = useState(view?.filter.tag?.[0] ?? '');
  const [text, setText] = useState(view?.filter.q ?? '');
  const [shared, setShared] = useState(view?.shared ?? false);
  const role = useCurrentUser().data?.role;
  const mayShare = role !== undefined && VIEW_SHARER_ROLES.includes(role);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const filter: ViewFilter = {
      ...(statuses.length ? { status: statuses } : {}),
      ...(assignee ? { assignee } : {}),
      ...(team ? { team } : {}),
      ...(priority ? { priority: [priority] } : {}),
      ...(tag.trim() ? { tag: [tag.trim().toLowerCase()] } : {}),
      ...(text.trim() ? { q: text.trim() } : {}),
    };
    const fields = { name: name.trim(), filter, shared: mayShare && shared };
    if (view) update.mutate({ id: view.id, changes: fields }, { onSuccess: onDone });
    else create.mutate(fields, { onSuccess: onDone });
  };
  const toggleStatus = (status: TicketStatus) => setStatuses((current) => (current.includes(status) ? current.filter((other) => other !== status) : [...current, status]));

  return (
    <form className="save-view" onSubmit={submit} data-testid="save-view-form">
      <input aria-label="View name" placeholder="View name" required value={name} onChange={(event) => setName(event.target.value)} data-testid="save-view-name" />
      <fieldset className="save-view__statuses">
        <legend>Status</legend>
        {TICKET_STATUSES.map((status) => (
          <label key={status}>
            <input type="checkbox" checked={statuses.includes(status)} onChange={() => toggleStatus(status)} /> {STATUS_LABELS[status]}
          </label>
        ))}
      </fieldset>
      <select aria-label="Assignee" value={assignee} onChange={(event) => setAssignee(event.target.value)}>
        <option value={ANY}>Any assignee</option>
        <option value="me">Me</option>
        <option value="none">Unassigned</option>
        {users.map((user) => (
          <option key={user.id} value={user.id}>
            {user.name || user.email}
          </option>
        ))}
      </select>
      <select aria-label="Team" value={team} onChange={(event) => setTeam(event.target.value)}>
        <option value={ANY}>Any team</option>
        <option value="none">No team</option>
        {teams.map((option) => (
          <option key={option.id} value={option.id}>
            {option.name}
          </option>
        ))}
      </select>
      <select aria-label="Priority" value={priority} onChange={(event) => setPriority(event.target.value as TicketPriority | typeof ANY)}>
        <option value={ANY}>Any priority</option>
        {TICKET_PRIORITIES.map((option) => (
          <option key={option} value={option}>
            {PRIORITY_LABELS[option]}
          </option>
        ))}
      </select>
      <input aria-label="Tag" placeholder="Tag" value={tag} onChange={(event) => setTag(event.target.value)} />
      <input aria-label="Containing text" placeholder="Containing text" value={text} onChange={(event) => setText(event.target.value)} />
      {mayShare && (
        <label>
          <input type="checkbox" checked={shared} onChange={(event) => setShared(event.target.checked)} /> Shared with everyone
        </label>
      )}
      {saving.isError && <ErrorNotice error={saving.error} />}
      <div className="save-view__actions">
        <button type="button" className="button button--small" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--small button--primary" disabled={saving.isPending} data-testid="save-view-submit">
          {view ? 'Save changes' : 'Save view'}
        </button>
      </div>
    </form>
  );
}
