import { useQuery } from '@tanstack/react-query';
import { fetchTicket } from '../api/tickets.api';
import { ticketKeys } from '../api/ticketKeys';

export function useTicket(ticketId: string) {
  return useQuery({ queryKey: ticketKeys.detail(ticketId), queryFn: () => fetchTicket(ticketId) });
}
