import type { RuleAction, TicketAction } from '../../../../../contracts/automation';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../../../contracts/domain';
import { PRIORITY_LABELS, STATUS_LABELS } from '../../tickets/ticketLabels';
import { useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { useMacros } from '../hooks/useMacros';

export type ActionType = RuleAction['type'];

const ACTION_LABELS: Record<ActionType, string> = {
  set_status: 'Set status',
  set_priority: 'Set priority',
  set_team: 'Set team',
  set_assignee: 'Assign to',
  add_tags: 'Add tags',
  remove_tags: 'Remove tags',
  add_note: 'Add internal note',
  assign_agent: 'Assign an agent of the team',
  apply_macro: 'Apply macro',
  send_auto_reply: 'Send automatic reply',
};

const NEW_ACTIONS: Record<ActionType, RuleAction> = {
  set_status: { type: 'set_status', status: 'pending' },
  set_priority: { type: 'set_priority', priority: 'high' },
  set_team: { type: 'set_team', teamId: null },
  set_assignee: { type: 'set_assignee', assigneeId: null },
  add_tags: { type: 'add_tags', tags: [] },
  remove_tags: { type: 'remove_tags', tags: [] },
  add_note: { type: 'add_note', body: '' },
  assign_agent: { type: 'assign_agent', strategy: 'round_robin', teamId: null },
  apply_macro: { type: 'apply_macro', macroId: '' },
  send_auto_reply: { type: 'send_auto_reply', body: '' },
};

export const TICKET_ACTION_TYPES: TicketAction['type'][] = ['set_status', 'set_priority', 'set_team', 'set_assignee', 'add_tags', 'remove_tags', 'add_note'];

const tagsOf = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);

/** The fields of one action; team, agent and macro choices come from the workspace. */
function ActionFields({ action, onChange }: { action: RuleAction; onChange: (action: RuleAction) => void }) {
  const teams = useTeams().data ?? [];
  const users = useUsers().data ?? [];
  const macros = useMacros().data ?? [];
  const teamSelect = (teamId: string | null, set: (teamId: string | null) => void, none: string) => (
    <select aria-label="Team" value={teamId ?? ''} onChange={(event) => set(event.target.value || null)}>
      <option value="">{none}</option>
      {teams.map((team) => (
        <option key={team.id} value={team.id}>
          {team.name}
        </option>
      ))}
    </select>
  );
  switch (action.type) {
    case 'set_status':
      return (
        <select aria-label="Status" value={action.status} onChange={(event) => onChange({ ...action, status: event.target.value as typeof action.status })}>
          {TICKET_STATUSES.map((status) => (
            <option key={status} value={status}>
              {STATUS_LABELS[status]}
            </option>
          ))}
        </select>
      );
    case 'set_priority':
      return (
        <select aria-label="Priority" value={action.priority} onChange={(event) => onChange({ ...action, priority: event.target.value as typeof action.priority })}>
          {TICKET_PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_LABELS[priority]}
            </option>
          ))}
        </select>
      );
    case 'set_team':
      return teamSelect(action.teamId, (teamId) => onChange({ ...action, teamId }), 'No team');
    case 'set_assignee':
      return (
        <select aria-label="Agent" value={action.assigneeId ?? ''} onChange={(event) => onChange({ ...action, assigneeId: event.target.value || null })}>
          <option value="">Nobody (unassign)</option>
          {users
            .filter((user) => user.isActive)
            .map((user) => (
              <option key={user.id} value={user.id}>
                {user.name}
              </option>
            ))}
        </select>
      );
    case 'add_tags':
    case 'remove_tags':
      return <input aria-label="Tags" placeholder="tag, another tag" defaultValue={action.tags.join(', ')} onBlur={(event) => onChange({ ...action, tags: tagsOf(event.target.value) })} />;
    case 'add_note':
    case 'send_auto_reply':
      return (
        <textarea
          aria-label={action.type === 'add_note' ? 'Note' : 'Automatic reply'}
          rows={3}
          placeholder="Liquid template, e.g. Hi {{ customer.first_name }}"
          value={action.body}
          onChange={(event) => onChange({ ...action, body: event.target.value })}
        />
      );
    case 'assign_agent':
      return (
        <span className="automation__inline">
          <select aria-label="Strategy" value={action.strategy} onChange={(event) => onChange({ ...action, strategy: event.target.value as typeof action.strategy })}>
            <option value="round_robin">by round robin</option>
            <option value="least_open">with the fewest open tickets</option>
          </select>
          {teamSelect(action.teamId, (teamId) => onChange({ ...action, teamId }), "of the ticket's team")}
        </span>
      );
    case 'apply_macro':
      return (
        <select aria-label="Macro" value={action.macroId} onChange={(event) => onChange({ ...action, macroId: event.target.value })}>
          <option value="">Choose a macro…</option>
          {macros.map((macro) => (
            <option key={macro.id} value={macro.id}>
              {macro.name}
            </option>
          ))}
        </select>
      );
  }
}

/** An ordered list of actions of the allowed types, each with its own fields. */
export function ActionsEditor<A extends RuleAction>({ actions, types, onChange }: { actions: A[]; types: A['type'][]; onChange: (actions: A[]) => void }) {
  const replace = (index: number, action: RuleAction) => onChange(actions.map((current, other) => (other === index ? (action as A) : current)));
  return (
    <fieldset className="automation__list" data-testid="actions-editor">
      <legend>Actions</legend>
      {actions.map((action, index) => (
        <div key={index} className="automation__row" data-testid="action-row">
          <select aria-label="Action" value={action.type} onChange={(event) => replace(index, NEW_ACTIONS[event.target.value as ActionType])}>
            {types.map((type) => (
              <option key={type} value={type}>
                {ACTION_LABELS[type]}
              </option>
            ))}
          </select>
          <ActionFields key={action.type} action={action} onChange={(changed) => replace(index, changed)} />
          <button type="button" className="button button--small" aria-label="Remove action" onClick={() => onChange(actions.filter((_, other) => other !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="button button--small" onClick={() => onChange([...actions, NEW_ACTIONS[types[0]] as A])} data-testid="add-action">
        Add action
      </button>
    </fieldset>
  );
}
