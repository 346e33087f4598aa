import type { Ref } from 'react';
import type { TicketSummaryDto } from '../../../../../contracts/api';
import { formatDateTime, formatRelativeTime } from '../../../lib/format';
import { SlaBadge } from '../../sla/components/SlaBadge';
import { PriorityBadge, StatusBadge, TagChip } from './TicketBadges';

interface TicketRowProps {
  ref: Ref<HTMLLIElement>;
  /** Position in the virtualised list: the row is placed absolutely at `offset` pixels. */
  index: number;
  offset: number;
  ticket: TicketSummaryDto;
  href: string;
  /** The ticket shown in the reading pane. */
  open: boolean;
  /** The keyboard cursor (j/k) is on this row. */
  highlighted: boolean;
  selected: boolean;
  onToggleSelected: () => void;
  now: number;
  tagColors: Map<string, string>;
  assigneeName: string | undefined;
}

export function TicketRow({ ref, index, offset, ticket, href, open, highlighted, selected, onToggleSelected, now, tagColors, assigneeName }: TicketRowProps) {
  const sender = ticket.customer ? ticket.customer.name || ticket.customer.email : 'Unknown sender';
  return (
    <li
      ref={ref}
      data-index={index}
      className={`ticket-row${highlighted ? ' ticket-row--highlighted' : ''}${selected ? ' ticket-row--selected' : ''}`}
      style={{ transform: `translateY(${offset}px)` }}
      aria-current={open ? 'true' : undefined}
      data-testid="ticket-row"
      data-ticket-id={ticket.id}
      data-highlighted={highlighted || undefined}
    >
      <input type="checkbox" className="ticket-row__select" aria-label={`Select ticket ${ticket.subject}`} checked={selected} onChange={onToggleSelected} data-testid="ticket-select" />
      <a className="ticket-row__link" href={href}>
        <span className="ticket-row__top">
          <span className="ticket-row__sender">{sender}</span>
          <time className="ticket-row__time" dateTime={ticket.lastActivityAt} title={formatDateTime(ticket.lastActivityAt)}>
            {formatRelativeTime(ticket.lastActivityAt, now)}
          </time>
        </span>
        <span className="ticket-row__subject" data-testid="ticket-row-subject">
          {ticket.subject}
        </span>
        {ticket.snippet && <span className="ticket-row__snippet">{ticket.snippet}</span>}
        <span className="ticket-row__meta">
          <StatusBadge status={ticket.status} />
          <PriorityBadge priority={ticket.priority} />
          <SlaBadge sla={ticket.sla} />
          {ticket.tags.map((tag) => (
            <TagChip key={tag} name={tag} color={tagColors.get(tag)} />
          ))}
          <span className="ticket-row__assignee muted" data-testid="ticket-row-assignee">
            {assigneeName ?? 'Unassigned'}
          </span>
        </span>
      </a>
    </li>
  );
}
