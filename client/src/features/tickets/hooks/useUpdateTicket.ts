import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { BulkTicketChanges, TicketDetailDto, TicketSummaryDto, UpdateTicketRequest } from '../../../../../contracts/api';
import { offerUndo } from '../../../components/UndoToast';
import { bulkUpdateTickets, mergeTickets, updateTicket } from '../api/tickets.api';
import { applyTicketSummary, cachedTicket } from '../api/ticketCache';
import { ticketKeys } from '../api/ticketKeys';

/** Changes a ticket's properties, showing the change at once and rolling it back if the server refuses. */
export function useUpdateTicket(ticketId: string) {
  const queryClient = useQueryClient();
  const detailKey = ticketKeys.detail(ticketId);
  return useMutation({
    mutationFn: (changes: UpdateTicketRequest) => updateTicket(ticketId, changes),
    onMutate: async (changes) => {
      await queryClient.cancelQueries({ queryKey: detailKey });
      const previous = queryClient.getQueryData<TicketDetailDto>(detailKey);
      if (previous) queryClient.setQueryData<TicketDetailDto>(detailKey, { ...previous, ...changes });
      return { previous };
    },
    onError: (_error, _changes, context) => {
      if (context?.previous) queryClient.setQueryData(detailKey, context.previous);
    },
    onSuccess: (ticket) => applyTicketSummary(queryClient, ticket),
  });
}

/**
 * The same change to a whole selection in one request (the server changes all or none), then an undo
 * offer that puts back what each ticket had before, grouped into one request per former value.
 */
export function useBulkUpdate() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ ticketIds, changes }: { ticketIds: string[]; changes: BulkTicketChanges }) => bulkUpdateTickets(ticketIds, changes),
    onSuccess: ({ tickets }) => tickets.forEach((ticket) => applyTicketSummary(queryClient, ticket)),
  });
  const change = (ticketIds: string[], changes: BulkTicketChanges, done?: () => void) => {
    const before = ticketIds.map((id) => cachedTicket(queryClient, id));
    mutation.mutate(
      { ticketIds, changes },
      {
        onSuccess: () => {
          done?.();
          offerUndo(`Changed ${ticketIds.length} ticket${ticketIds.length === 1 ? '' : 's'}`, () => {
            for (const restore of undoChanges(ticketIds, before, changes)) mutation.mutate(restore);
          });
        },
      },
    );
  };
  return { change, isPending: mutation.isPending, error: mutation.error };
}

/** The requests that take a bulk change back: one per former value of each changed field. */
function undoChanges(ticketIds: string[], before: (TicketSummaryDto | undefined)[], changes: BulkTicketChanges): { ticketIds: string[]; changes: BulkTicketChanges }[] {
  const groups = new Map<string, { ticketIds: string[]; changes: BulkTicketChanges }>();
  ticketIds.forEach((id, index) => {
    const ticket = before[index];
    if (!ticket) return;
    const restore: BulkTicketChanges = {};
    if (changes.status) restore.status = ticket.status;
    if (changes.priority) restore.priority = ticket.priority;
    if (changes.assigneeId !== undefined) restore.assigneeId = ticket.assigneeId;
    if (changes.teamId !== undefined) restore.teamId = ticket.teamId;
    const added = (changes.addTags ?? []).filter((tag) => !ticket.tags.includes(tag));
    const removed = (changes.removeTags ?? []).filter((tag) => ticket.tags.includes(tag));
    if (added.length) restore.removeTags = added;
    if (removed.length) restore.addTags = removed;
    if (Object.keys(restore).length === 0) return;
    const key = JSON.stringify(restore);
    const group = groups.get(key) ?? { ticketIds: [], changes: restore };
    group.ticketIds.push(id);
    groups.set(key, group);
  });
  return [...groups.values()];
}

/**
 * Merges tickets into the chosen one. A merge moves messages and cannot be taken back, so it waits
 * out the undo offer before it is sent; lists and the affected tickets reload afterwards.
 */
export function useMergeTickets() {
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: ({ targetId, sourceIds }: { targetId: string; sourceIds: string[] }) => mergeTickets(targetId, sourceIds),
    onSuccess: async (target) => {
      applyTicketSummary(queryClient, target);
      await queryClient.invalidateQueries({ queryKey: ticketKeys.all });
    },
  });
  const merge = (targetId: string, sourceIds: string[], targetNumber: number) =>
    offerUndo(
      `Merging ${sourceIds.length} ticket${sourceIds.length === 1 ? '' : 's'} into #${targetNumber}`,
      () => undefined,
      () => mutation.mutate({ targetId, sourceIds }),
    );
  return { merge, isPending: mutation.isPending, error: mutation.error };
}
