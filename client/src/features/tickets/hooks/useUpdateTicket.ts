import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { TicketDetailDto, UpdateTicketRequest } from '../../../../../contracts/api';
import { mergeTickets, updateTicket } from '../api/tickets.api';
import { applyTicketSummary } from '../api/ticketCache';
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

/** Parallel requests a bulk change may have in flight; the server handles each ticket in its own transaction. */
const BULK_CONCURRENCY = 4;

/** The same change to many tickets; resolves with how many the server refused. */
export function useBulkUpdate() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ ticketIds, changes }: { ticketIds: string[]; changes: (ticketId: string) => UpdateTicketRequest }) => {
      const queue = [...ticketIds];
      let failed = 0;
      const worker = async () => {
        for (let ticketId = queue.shift(); ticketId; ticketId = queue.shift()) {
          try {
            applyTicketSummary(queryClient, await updateTicket(ticketId, changes(ticketId)));
          } catch {
            failed++;
          }
        }
      };
      await Promise.all(Array.from({ length: Math.min(BULK_CONCURRENCY, ticketIds.length) }, worker));
      return { failed };
    },
  });
}

/** Merges tickets into the first one; lists and the affected tickets reload, since several change at once. */
export function useMergeTickets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ targetId, sourceIds }: { targetId: string; sourceIds: string[] }) => mergeTickets(targetId, sourceIds),
    onSuccess: async (target) => {
      applyTicketSummary(queryClient, target);
      await queryClient.invalidateQueries({ queryKey: ticketKeys.all });
    },
  });
}
