import { useInfiniteQuery } from '@tanstack/react-query';
import { fetchTicketPage, type TicketListFilter } from '../api/tickets.api';
import { ticketKeys } from '../api/ticketKeys';

export function useTicketList(filter: TicketListFilter) {
  return useInfiniteQuery({
    queryKey: ticketKeys.list(filter),
    queryFn: ({ pageParam }) => fetchTicketPage(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (lastPage) => lastPage.nextCursor ?? undefined,
    // Live updates patch loaded lists in place; refetching would reload every page scrolled through.
    staleTime: Infinity,
  });
}
