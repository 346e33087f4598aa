import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserDto } from '../../../../../contracts/api';
import { BUILTIN_VIEWS, SAVED_VIEW_PREFIX, TEAM_VIEW_PREFIX, teamViewFilter, type CreateSavedViewRequest, type UpdateSavedViewRequest, type ViewFilter } from '../../../../../contracts/views';
import { useTeams } from '../../workspace/hooks/useWorkspace';
import { createSavedView, deleteSavedView, fetchSavedViews, fetchViewCounts, updateSavedView, viewKeys } from '../api/views.api';

export interface InboxView {
  id: string;
  label: string;
  filter: ViewFilter;
  section: 'inbox' | 'teams' | 'saved' | 'report';
  /** A report's drill-down (`report:<query>`, its id): the list is the tickets behind that number, in the report's order. */
  report?: string;
  /** For saved views: whether the current user may change or delete it. */
  editable?: boolean;
  shared?: boolean;
}

export function useSavedViews() {
  return useQuery({ queryKey: viewKeys.saved, queryFn: fetchSavedViews, staleTime: 5 * 60_000 });
}

/** Counts are kept current by live updates (which invalidate them); polling covers a lost connection. */
export function useViewCounts() {
  return useQuery({ queryKey: viewKeys.counts, queryFn: fetchViewCounts, refetchInterval: 60_000 });
}

/** The sidebar's views for this user: built-in, one per team they are in, then saved views. */
export function useInboxViews(user: UserDto): { views: InboxView[]; loading: boolean } {
  const teams = useTeams();
  const saved = useSavedViews();
  const builtin: InboxView[] = BUILTIN_VIEWS.map((view) => ({ ...view, section: 'inbox' }));
  const teamViews: InboxView[] = (teams.data ?? [])
    .filter((team) => user.teamIds.includes(team.id))
    .map((team) => ({ id: `${TEAM_VIEW_PREFIX}${team.id}`, label: team.name, filter: teamViewFilter(team.id), section: 'teams' }));
  const savedViews: InboxView[] = (saved.data ?? []).map((view) => ({
    id: `${SAVED_VIEW_PREFIX}${view.id}`,
    label: view.name,
    filter: view.filter,
    section: 'saved',
    shared: view.shared,
    editable: view.ownerId === user.id || user.role === 'admin',
  }));
  return { views: [...builtin, ...teamViews, ...savedViews], loading: teams.isPending || saved.isPending };
}

/** Saved views and their counts change together, and so does the list of any view showing one. */
function useRefreshSavedViews() {
  const queryClient = useQueryClient();
  return () => Promise.all([queryClient.invalidateQueries({ queryKey: viewKeys.saved }), queryClient.invalidateQueries({ queryKey: viewKeys.counts })]);
}

export function useCreateSavedView() {
  const refresh = useRefreshSavedViews();
  return useMutation({ mutationFn: (view: CreateSavedViewRequest) => createSavedView(view), onSuccess: refresh });
}

export function useUpdateSavedView() {
  const refresh = useRefreshSavedViews();
  return useMutation({ mutationFn: ({ id, changes }: { id: string; changes: UpdateSavedViewRequest }) => updateSavedView(id, changes), onSuccess: refresh });
}

export function useDeleteSavedView() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => deleteSavedView(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: viewKeys.saved }),
  });
}
