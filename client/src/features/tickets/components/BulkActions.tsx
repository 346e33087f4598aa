import { useState, type FormEvent } from 'react';
import type { BulkTicketChanges } from '../../../../../contracts/api';
import { TICKET_STATUSES, type TicketStatus } from '../../../../../contracts/domain';
import { errorMessage } from '../../../api/client';
import { useUsers } from '../../workspace/hooks/useWorkspace';
import { useBulkUpdate, useMergeTickets } from '../hooks/useUpdateTicket';
import { STATUS_LABELS } from '../ticketLabels';
import { MergeDialog } from './MergeDialog';

/**
 * Assign, set the status of, tag or merge the selected tickets at once: one request for the whole
 * selection (all change or none), then a few seconds to undo.
 */
export function BulkActions({ ticketIds, onClear }: { ticketIds: string[]; onClear: () => void }) {
  const bulk = useBulkUpdate();
  const merge = useMergeTickets();
  const [merging, setMerging] = useState(false);
  const { data: users = [] } = useUsers();
  const [tag, setTag] = useState('');
  const apply = (changes: BulkTicketChanges) => bulk.change(ticketIds, changes, onClear);
  const addTag = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const name = tag.trim().toLowerCase();
    if (!name) return;
    setTag('');
    apply({ addTags: [name] });
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
          apply({ assigneeId });
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
          apply({ status });
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
        <button type="button" className="button button--small" disabled={merge.isPending} onClick={() => setMerging(true)} data-testid="bulk-merge">
          Merge…
        </button>
      )}
      <button type="button" className="button button--small" onClick={onClear}>
        Clear
      </button>
      {(merge.error ?? bulk.error) && (
        <span className="bulk-actions__error" role="alert">
          {errorMessage(merge.error ?? bulk.error)}
        </span>
      )}
      {merging && (
        <MergeDialog
          ticketIds={ticketIds}
          onMerge={(targetId, sourceIds, targetNumber) => {
            merge.merge(targetId, sourceIds, targetNumber);
            onClear();
          }}
          onClose={() => setMerging(false)}
        />
      )}
    </div>
  );
}
