import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { dryRunRule, fetchRules, routingKeys } from '../api/routing.api';

export function useRules() {
  return useQuery({ queryKey: routingKeys.rules, queryFn: fetchRules });
}

/** A change to the rules; the list refetches afterwards. */
export function useRuleChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => queryClient.invalidateQueries({ queryKey: routingKeys.rules }) });
}

export function useDryRun() {
  return useMutation({ mutationFn: dryRunRule });
}
