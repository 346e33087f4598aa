import type { TicketListFilter } from './tickets.api';

export const ticketKeys = {
  all: ['tickets'] as const,
  lists: () => [...ticketKeys.all, 'list'] as const,
  list: (filter: TicketListFilter) => [...ticketKeys.lists(), filter] as const,
  detail: (ticketId: string) => [...ticketKeys.all, 'detail', ticketId] as const,
  customer: (customerId: string) => [...ticketKeys.all, 'customer', customerId] as const,
  customerTickets: (customerId: string) => [...ticketKeys.all, 'customer-tickets', customerId] as const,
};
