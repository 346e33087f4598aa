import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchMacros, macroKeys, previewMacro } from '../api/macros.api';

export function useMacros(query = '') {
  return useQuery({ queryKey: macroKeys.list(query), queryFn: () => fetchMacros(query) });
}

/** The macro rendered against the ticket as it is now; refetched whenever the picker opens it again. */
export function useMacroPreview(macroId: string | null, ticketId: string) {
  return useQuery({
    queryKey: macroKeys.preview(macroId ?? '', ticketId),
    queryFn: () => previewMacro(macroId ?? '', ticketId),
    enabled: macroId !== null,
    staleTime: 0,
  });
}

/** A change to macros; every macro list refetches afterwards. */
export function useMacroChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => queryClient.invalidateQueries({ queryKey: macroKeys.all }) });
}
