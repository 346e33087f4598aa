import { useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import type { UpdateTicketRequest } from '../../../../../contracts/api';
import { TICKET_STATUSES, type TicketStatus } from '../../../../../contracts/domain';
import { cachedTags } from '../api/ticketCache';
import { useUsers } from '../../workspace/hooks/useWorkspace';
import { useBulkUpdate, useMergeTickets } from '../hooks/useUpdateTicket';
import { STATUS_LABELS } from '../ticketLabels';

/** Assign, set the status of, tag or merge the selected tickets at once. */
export function BulkActions({ ticketIds, onClear }: { ticketIds: string[]; onClear: () => void }) {
  const bulk = useBulkUpdate();
  const merge = useMergeTickets();
  const mergeIntoFirst = () => {
    const [targetId, ...sourceIds] = ticketIds;
    // Merging closes tickets and cannot be undone from here: ask first.
    if (window.confirm(`Merge ${sourceIds.length} ticket(s) into the first selected one? They will be closed.`)) merge.mutate({ targetId, sourceIds }, { onSuccess: onClear });
  };
  const { data: users = [] } = useUsers();
  const [tag, setTag] = useState('');
  const apply = (changes: (ticketId: string) => UpdateTicketRequest) => bulk.mutate({ ticketIds, changes }, { onSuccess: ({ failed }) => failed === 0 && onClear() });
  const queryClient = useQueryClient();
  const addTag = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = tag.trim().toLowerCase();
    if (!name) return;
    setTag('');
    apply((ticketId) => ({ tags: [...new Set([...cachedTags(queryClient, ticketId), name])] }));
  };

  return (
    <div className="bulk-actions" role="toolbar" aria-label="Change selected tickets" data-testid="bulk-actions">
      <span className="bulk-actions__count">{ticketIds.length} selected</span>
      <select
        aria-label="Assign selected to"
        value=""
        disabled={bulk.isPending}
        onChange={(event) => {
          // Read now: the select snaps back to its placeholder before the changes are sent.
          const assigneeId = event.target.value === 'none' ? null : event.target.value;
          apply(() => ({ assigneeId }));
        }}
        data-testid="bulk-assign"
      >
        <option value="" disabled>
          Assign…
        </option>
        <option value="none">Unassigned</option>
        {users
          .filter((user) => user.isActive)
          .map((user) => (
            <option key={user.id} value={user.id}>
              {user.name || user.email}
            </option>
          ))}
      </select>
      <select
        aria-label="Set status of selected"
        value=""
        disabled={bulk.isPending}
        onChange={(event) => {
          const status = event.target.value as TicketStatus;
          apply(() => ({ status }));
        }}
        data-testid="bulk-status"
      >
        <option value="" disabled>
          Status…
        </option>
        {TICKET_STATUSES.map((status) => (
          <option key={status} value={status}>
            {STATUS_LABELS[status]}
          </option>
        ))}
      </select>
      <form onSubmit={addTag}>
        <input aria-label="Tag selected" placeholder="Add tag…" value={tag} disabled={bulk.isPending} onChange={(event) => setTag(event.target.value)} data-testid="bulk-tag" />
      </form>
      {ticketIds.length > 1 && (
        <button type="button" className="button button--small" disabled={merge.isPending} onClick={mergeIntoFirst} data-testid="bulk-merge">
          Merge into first
        </button>
      )}
      <button type="button" className="button button--small" onClick={onClear}>
        Clear
      </button>
      {merge.isError && (
        <span className="bulk-actions__error" role="alert">
          {merge.error.message}
        </span>
      )}
      {bulk.data && bulk.data.failed > 0 && (
        <span className="bulk-actions__error" role="alert">
          {bulk.data.failed} could not be changed
        </span>
      )}
    </div>
  );
}
