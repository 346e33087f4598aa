import type { TicketEventDto } from '../../../../../contracts/api';
import type { TicketPriority, TicketStatus } from '../../../../../contracts/domain';
import { formatDateTime } from '../../../lib/format';
import { useTeams } from '../../workspace/hooks/useWorkspace';
import { PRIORITY_LABELS, STATUS_LABELS } from '../ticketLabels';

type Names = (id: unknown) => string;

function describe(event: TicketEventDto, userName: Names, teamName: Names): string {
  const { from, to, added, removed } = event.data;
  switch (event.type) {
    case 'status.changed':
      return `Status ${STATUS_LABELS[from as TicketStatus] ?? from} → ${STATUS_LABELS[to as TicketStatus] ?? to}`;
    case 'priority.changed':
      return `Priority ${PRIORITY_LABELS[from as TicketPriority] ?? from} → ${PRIORITY_LABELS[to as TicketPriority] ?? to}`;
    case 'assignee.changed':
      return to ? `Assigned to ${userName(to)}` : 'Unassigned';
    case 'team.changed':
      return to ? `Moved to team ${teamName(to)}` : 'Removed from its team';
    case 'subject.changed':
      return `Subject changed to “${String(to)}”`;
    case 'tags.changed': {
      const parts = [Array.isArray(added) && added.length ? `+${added.join(', +')}` : '', Array.isArray(removed) && removed.length ? `−${removed.join(', −')}` : ''];
      return `Tags ${parts.filter(Boolean).join(' ')}`;
    }
    default:
      return event.type.replace(/[._]/g, ' ');
  }
}

/** The ticket's history of changes, newest first. */
export function Timeline({ events, userNames }: { events: TicketEventDto[]; userNames: Map<string, string> }) {
  const { data: teams = [] } = useTeams();
  if (events.length === 0) return null;
  const userName: Names = (id) => (typeof id === 'string' && userNames.get(id)) || 'someone';
  const teamName: Names = (id) => teams.find((team) => team.id === id)?.name ?? 'another team';
  return (
    <section className="side-section" aria-label="History" data-testid="timeline">
      <h2 className="side-section__title">History</h2>
      <ol className="timeline">
        {[...events].reverse().map((event) => (
          <li key={event.id} className="timeline__event" data-testid="timeline-event">
            <span>{describe(event, userName, teamName)}</span>
            <span className="muted timeline__meta">
              {event.actorType === 'user' ? userName(event.actorId) : event.actorType === 'rule' ? 'a rule' : 'Careloop'} · {formatDateTime(event.createdAt)}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
