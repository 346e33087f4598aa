import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ticketKeys } from '../../tickets/api/ticketKeys';
import { careKeys } from '../../care/api/care.api';
import { workspaceKeys } from '../../workspace/api/workspace.api';
import { decideSuggestion, fetchFlag, fetchSuggestions, fetchTagModel, fetchTagSettings, mergeTag, retrainTagModel, setFlag, tagKeys, updateTag, updateTagSettings } from '../api/tags.api';

/** Suggestions are stored a moment after a ticket arrives: look again a few times while there are none yet. */
const SUGGESTIONS_RETRY_MS = 2_000;
const SUGGESTIONS_RETRIES = 5;

export function useTagSuggestions(ticketId: string) {
  return useQuery({
    queryKey: tagKeys.suggestions(ticketId),
    queryFn: () => fetchSuggestions(ticketId),
    refetchInterval: (query) => (query.state.data?.length || query.state.dataUpdateCount > SUGGESTIONS_RETRIES ? false : SUGGESTIONS_RETRY_MS),
  });
}

export function useDecideSuggestion(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ tagId, decision }: { tagId: string; decision: 'accept' | 'reject' }) => decideSuggestion(ticketId, tagId, decision),
    onSuccess: async (suggestions) => {
      queryClient.setQueryData(tagKeys.suggestions(ticketId), suggestions);
      await queryClient.invalidateQueries({ queryKey: ticketKeys.all });
    },
  });
}

export function useTicketFlag(ticketId: string) {
  return useQuery({ queryKey: tagKeys.flag(ticketId), queryFn: () => fetchFlag(ticketId) });
}

export function useSetTicketFlag(ticketId: string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (flagged: boolean) => setFlag(ticketId, flagged), onSuccess: (flag) => queryClient.setQueryData(tagKeys.flag(ticketId), flag) });
}

export function useTagSettings() {
  return useQuery({ queryKey: tagKeys.settings, queryFn: fetchTagSettings });
}

export function useUpdateTagSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateTagSettings,
    onSuccess: async (settings) => {
      queryClient.setQueryData(tagKeys.settings, settings);
      // The care board's signals follow the new thresholds without a reload.
      await queryClient.invalidateQueries({ queryKey: careKeys.signals });
    },
  });
}

/** Renames, recolours and merges change how every ticket shows its tags. */
export function useTagChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: workspaceKeys.tags }), queryClient.invalidateQueries({ queryKey: ticketKeys.all })]);
    },
  });
}

export const useUpdateTag = () => useTagChange(({ id, ...changes }: { id: string } & Parameters<typeof updateTag>[1]) => updateTag(id, changes));
export const useMergeTag = () => useTagChange(({ id, intoTagId }: { id: string; intoTagId: string }) => mergeTag(id, intoTagId));

/** The suggestion model's state; while a requested training has not finished, looked at again every few seconds. */
export function useTagModel(waitingSince: string | null | undefined) {
  return useQuery({
    queryKey: tagKeys.model,
    queryFn: fetchTagModel,
    refetchInterval: (query) => (waitingSince !== undefined && query.state.data?.trainedAt === waitingSince ? 3_000 : false),
  });
}

export function useRetrainTagModel() {
  return useMutation({ mutationFn: retrainTagModel });
}
