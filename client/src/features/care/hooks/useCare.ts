import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { InitiativeDto, MoveInitiativeRequest } from '../../../../../contracts/care';
import {
  addComment,
  careKeys,
  createInitiative,
  fetchBoard,
  fetchComments,
  fetchImpact,
  fetchInitiative,
  fetchInitiativeTickets,
  fetchSignals,
  moveInitiative,
  updateInitiative,
} from '../api/care.api';

/** Signals come from rollups and change with each tagged ticket; a minute's staleness is fine on a board. */
const SIGNALS_STALE_TIME = 60_000;

export const useBoard = () => useQuery({ queryKey: careKeys.board, queryFn: fetchBoard });
export const useSignals = () => useQuery({ queryKey: careKeys.signals, queryFn: fetchSignals, staleTime: SIGNALS_STALE_TIME });
export const useInitiative = (id: string) => useQuery({ queryKey: careKeys.initiative(id), queryFn: () => fetchInitiative(id) });
export const useInitiativeTickets = (id: string) => useQuery({ queryKey: careKeys.tickets(id), queryFn: () => fetchInitiativeTickets(id) });
export const useComments = (id: string) => useQuery({ queryKey: careKeys.comments(id), queryFn: () => fetchComments(id) });
export const useImpact = (id: string) => useQuery({ queryKey: careKeys.impact(id), queryFn: () => fetchImpact(id) });

/** Puts a card into the cached board as the server will, so a drop shows at once. */
function placeCard(board: InitiativeDto[], id: string, { status, index }: MoveInitiativeRequest): InitiativeDto[] {
  const card = board.find((candidate) => candidate.id === id);
  if (!card) return board;
  const target = board.filter((candidate) => candidate.status === status && candidate.id !== id).sort((a, b) => a.position - b.position);
  target.splice(Math.min(index, target.length), 0, { ...card, status });
  const positions = new Map(target.map((candidate, position) => [candidate.id, position]));
  return board.map((candidate) => (candidate.id === id ? { ...card, status, position: positions.get(id) ?? 0 } : positions.has(candidate.id) ? { ...candidate, position: positions.get(candidate.id) ?? 0 } : candidate));
}

export function useMoveInitiative() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, move }: { id: string; move: MoveInitiativeRequest }) => moveInitiative(id, move),
    onMutate: ({ id, move }) => {
      const previous = queryClient.getQueryData<InitiativeDto[]>(careKeys.board);
      if (previous) queryClient.setQueryData(careKeys.board, placeCard(previous, id, move));
      return { previous };
    },
    onError: (_error, _input, context) => {
      if (context?.previous) queryClient.setQueryData(careKeys.board, context.previous);
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: careKeys.board }),
  });
}

export function useCreateInitiative() {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: createInitiative, onSuccess: () => queryClient.invalidateQueries({ queryKey: careKeys.all }) });
}

export function useUpdateInitiative(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (changes: Parameters<typeof updateInitiative>[1]) => updateInitiative(id, changes),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: careKeys.all }),
  });
}

export function useAddComment(id: string) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: (body: string) => addComment(id, { body }), onSuccess: () => queryClient.invalidateQueries({ queryKey: careKeys.comments(id) }) });
}
