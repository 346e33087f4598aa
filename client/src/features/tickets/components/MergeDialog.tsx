import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { formatDateTime } from '../../../lib/format';
import { cachedTicket } from '../api/ticketCache';

interface MergeDialogProps {
  ticketIds: string[];
  onMerge: (targetId: string, sourceIds: string[], targetNumber: number) => void;
  onClose: () => void;
}

/**
 * Merging moves every message into one ticket and closes the others: the agent picks which ticket
 * stays, seeing each one (customer, subject, last message) before deciding.
 */
export function MergeDialog({ ticketIds, onMerge, onClose }: MergeDialogProps) {
  const queryClient = useQueryClient();
  const tickets = ticketIds.flatMap((id) => cachedTicket(queryClient, id) ?? []);
  const [targetId, setTargetId] = useState(tickets[0]?.id ?? '');
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => dialog.current?.showModal(), []);
  const target = tickets.find((ticket) => ticket.id === targetId);

  return (
    <dialog ref={dialog} className="merge-dialog" aria-labelledby="merge-dialog-title" onClose={onClose} data-testid="merge-dialog">
      <h2 id="merge-dialog-title">Merge {tickets.length} tickets</h2>
      <p className="muted">Pick the ticket that stays. The others move their messages and tags into it and close.</p>
      <fieldset className="merge-dialog__choices">
        <legend className="visually-hidden">Ticket to keep</legend>
        {tickets.map((ticket) => (
          <label key={ticket.id} className={`merge-dialog__choice${ticket.id === targetId ? ' merge-dialog__choice--target' : ''}`} data-testid="merge-choice">
            <input type="radio" name="merge-target" value={ticket.id} checked={ticket.id === targetId} onChange={() => setTargetId(ticket.id)} />
            <span className="merge-dialog__ticket">
              <strong>
                #{ticket.number} {ticket.subject}
              </strong>
              <span className="muted">
                {ticket.customer?.name || ticket.customer?.email || 'No customer'} · {ticket.messageCount} message{ticket.messageCount === 1 ? '' : 's'} · last activity{' '}
                {formatDateTime(ticket.lastActivityAt)}
              </span>
              {ticket.snippet && <span className="merge-dialog__snippet">{ticket.snippet}</span>}
            </span>
            <span className="merge-dialog__role">{ticket.id === targetId ? 'Stays open' : 'Merged and closed'}</span>
          </label>
        ))}
      </fieldset>
      <div className="merge-dialog__actions">
        <button type="button" className="button" onClick={() => dialog.current?.close()}>
          Cancel
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={!target}
          onClick={() => {
            if (!target) return;
            onMerge(
              target.id,
              tickets.filter((ticket) => ticket.id !== target.id).map((ticket) => ticket.id),
              target.number,
            );
            dialog.current?.close();
          }}
          data-testid="merge-confirm"
        >
          Merge into #{target?.number}
        </button>
      </div>
    </dialog>
  );
}
