import type { TicketSummaryDto, UpdateTicketRequest } from '../../../../../contracts/api';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../../../../contracts/domain';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { useUpdateTicket } from '../hooks/useUpdateTicket';
import { PRIORITY_LABELS, STATUS_LABELS } from '../ticketLabels';
import { PropertySelect, type SelectOption } from './PropertySelect';
import { TagEditor } from './TagEditor';

/** The select value that stands for "nobody" / "no team"; the API wants null. */
const NONE = '';

const STATUS_OPTIONS = TICKET_STATUSES.map((status) => ({ value: status, label: STATUS_LABELS[status] }));
const PRIORITY_OPTIONS = TICKET_PRIORITIES.map((priority) => ({ value: priority, label: PRIORITY_LABELS[priority] }));

/** Options for an optional reference, keeping the current value selectable even if it is not in the loaded list. */
function referenceOptions(noneLabel: string, choices: SelectOption<string>[], current: string | null): SelectOption<string>[] {
  const missingCurrent = current && !choices.some((choice) => choice.value === current) ? [{ value: current, label: 'Unknown' }] : [];
  return [{ value: NONE, label: noneLabel }, ...missingCurrent, ...choices];
}

export function TicketProperties({ ticket }: { ticket: TicketSummaryDto }) {
  const update = useUpdateTicket(ticket.id);
  const { data: users = [] } = useUsers();
  const { data: teams = [] } = useTeams();
  const change = (changes: UpdateTicketRequest) => update.mutate(changes);

  const assigneeOptions = referenceOptions(
    'Unassigned',
    users.filter((user) => user.isActive).map((user) => ({ value: user.id, label: user.name || user.email })),
    ticket.assigneeId,
  );
  const teamOptions = referenceOptions('No team', teams.map((team) => ({ value: team.id, label: team.name })), ticket.teamId);

  return (
    <section className="ticket-properties" aria-label="Ticket properties">
      <PropertySelect label="Status" value={ticket.status} options={STATUS_OPTIONS} onChange={(status) => change({ status })} testId="status-select" />
      <PropertySelect
        label="Priority"
        value={ticket.priority}
        options={PRIORITY_OPTIONS}
        onChange={(priority) => change({ priority })}
        testId="priority-select"
      />
      <PropertySelect
        label="Assignee"
        value={ticket.assigneeId ?? NONE}
        options={assigneeOptions}
        onChange={(assigneeId) => change({ assigneeId: assigneeId || null })}
        testId="assignee-select"
      />
      <PropertySelect
        label="Team"
        value={ticket.teamId ?? NONE}
        options={teamOptions}
        onChange={(teamId) => change({ teamId: teamId || null })}
        testId="team-select"
      />
      <TagEditor tags={ticket.tags} onChange={(tags) => change({ tags })} />
      {update.isError && <ErrorNotice error={update.error} />}
    </section>
  );
}
