import type { CSSProperties } from 'react';
import type { TicketPriority, TicketStatus } from '../../../../../contracts/domain';
import { PRIORITY_LABELS, STATUS_LABELS } from '../ticketLabels';

export function StatusBadge({ status }: { status: TicketStatus }) {
  return (
    <span className={`badge status status--${status}`} data-testid="ticket-status">
      {STATUS_LABELS[status]}
    </span>
  );
}

/** Only priorities that ask for attention get a badge; normal and low would be noise in a list. */
export function PriorityBadge({ priority }: { priority: TicketPriority }) {
  if (priority !== 'high' && priority !== 'urgent') return null;
  return <span className={`badge priority priority--${priority}`}>{PRIORITY_LABELS[priority]}</span>;
}

export function TagChip({ name, color, onRemove }: { name: string; color?: string | null; onRemove?: () => void }) {
  return (
    <span className="tag" style={color ? ({ '--tag-color': color } as CSSProperties) : undefined} data-testid="tag">
      {name}
      {onRemove && (
        <button type="button" className="tag__remove" aria-label={`Remove tag ${name}`} onClick={onRemove} data-testid="tag-remove">
          ×
        </button>
      )}
    </span>
  );
}
