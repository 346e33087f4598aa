import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchCalendars, fetchPolicies, fetchTicketSla, slaKeys } from '../api/sla.api';

export function usePolicies() {
  return useQuery({ queryKey: slaKeys.policies, queryFn: fetchPolicies });
}

export function useCalendars() {
  return useQuery({ queryKey: slaKeys.calendars, queryFn: fetchCalendars });
}

/** A ticket's targets; refreshed each minute, since the time used grows while a clock runs. */
export function useTicketSla(ticketId: string) {
  return useQuery({ queryKey: slaKeys.ticket(ticketId), queryFn: () => fetchTicketSla(ticketId), refetchInterval: 60_000 });
}

/** A change to SLA settings; afterwards every SLA view and ticket list refetches (due times may have moved). */
export function useSlaChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: slaKeys.all }), queryClient.invalidateQueries({ queryKey: ['tickets'] })]);
    },
  });
}
