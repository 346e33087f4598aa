import { useQuery } from '@tanstack/react-query';
import { fetchCustomer, fetchTicketPage } from '../api/tickets.api';
import { ticketKeys } from '../api/ticketKeys';

const OTHER_TICKETS_SHOWN = 6;

export function useCustomer(customerId: string) {
  return useQuery({ queryKey: ticketKeys.customer(customerId), queryFn: () => fetchCustomer(customerId), staleTime: 60_000 });
}

export function useCustomerTickets(customerId: string) {
  return useQuery({
    queryKey: ticketKeys.customerTickets(customerId),
    queryFn: () => fetchTicketPage({ customer: customerId }, undefined, OTHER_TICKETS_SHOWN),
    staleTime: 60_000,
  });
}
