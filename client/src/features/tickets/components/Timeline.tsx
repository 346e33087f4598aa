import type { TicketEventDto } from '../../../../../contracts/api';
import type { TicketPriority, TicketStatus } from '../../../../../contracts/domain';
import type { SlaTargetKind } from '../../../../../contracts/sla';
import { formatDateTime } from '../../../lib/format';
import { useTeams } from '../../workspace/hooks/useWorkspace';
import { TARGET_KIND_LABELS } from '../../sla/slaFormat';
import { PRIORITY_LABELS, STATUS_LABELS } from '../ticketLabels';

type Names = (id: unknown) => string;

/** A field of an event's data as text (the data is free-form JSON). */
const text = (value: unknown) => (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
/** "#12, #14" from a list of ticket numbers. */
const numbers = (list: unknown) => (Array.isArray(list) ? list.map((number) => `#${text(number)}`).join(', ') : 'tickets');

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
    case 'ticket.created': {
      const origin = event.data.via === 'email' && event.data.from ? `Created from an email by ${text(event.data.from)}` : 'Created';
      return event.data.relatedTicketNumber ? `${origin}, following up #${text(event.data.relatedTicketNumber)}` : origin;
    }
    case 'ticket.followed_up':
      return `Followed up in #${text(event.data.ticketNumber)}`;
    case 'ticket.merged':
      return `Merged ${numbers(event.data.ticketNumbers)} into this ticket`;
    case 'ticket.merged_into':
      return `Merged into #${text(event.data.ticketNumber)}`;
    case 'rule.fired':
      return `Rule “${text(event.data.ruleName)}”${Array.isArray(event.data.actions) && event.data.actions.length ? `: ${event.data.actions.join('; ')}` : ''}`;
    case 'rule.failed':
      return `Rule “${text(event.data.ruleName)}” failed: ${text(event.data.reason)}`;
    case 'auto_reply.held':
      return `Automatic reply not sent: ${text(event.data.recipient)} already had ${text(event.data.limit)} automatic emails in the last hour`;
    case 'macro.applied':
      return `Macro “${text(event.data.macroName)}” applied`;
    case 'queue.assigned':
      return `Assigned from the queue to ${text(event.data.assigneeName)}`;
    case 'queue.requeued':
      return `Back in the queue: ${text(event.data.reason)}`;
    case 'sla.policy_applied':
      return `SLA policy “${text(event.data.policyName)}” applies`;
    case 'sla.warning':
    case 'sla.breached':
      return `${TARGET_KIND_LABELS[event.data.kind as SlaTargetKind] ?? 'SLA'} target ${event.type === 'sla.warning' ? 'due soon' : 'breached'}`;
    case 'sla.resumed':
      return `${TARGET_KIND_LABELS[event.data.kind as SlaTargetKind] ?? 'SLA'} target running again (reopened)`;
    case 'journey.entered':
      return `Entered the journey “${text(event.data.journeyName)}”`;
    case 'journey.reply':
      return `Answer to the care email “${text(event.data.subject)}”`;
    case 'journey.task_created':
      return `The journey “${text(event.data.journeyName)}” created task #${text(event.data.taskTicketNumber)}`;
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
