import { useQuery } from '@tanstack/react-query';
import { fetchMailboxOptions, fetchTags, fetchTeams, fetchUsers, workspaceKeys } from '../api/workspace.api';

/** People, teams and tags change rarely; keep them fresh for a few minutes. */
const WORKSPACE_STALE_TIME = 5 * 60_000;

export function useUsers() {
  return useQuery({ queryKey: workspaceKeys.users, queryFn: fetchUsers, staleTime: WORKSPACE_STALE_TIME });
}

export function useTeams() {
  return useQuery({ queryKey: workspaceKeys.teams, queryFn: fetchTeams, staleTime: WORKSPACE_STALE_TIME });
}

export function useTags() {
  return useQuery({ queryKey: workspaceKeys.tags, queryFn: fetchTags, staleTime: WORKSPACE_STALE_TIME });
}

/** Mailboxes to choose from (leads, care owners and admins); agents get an empty list rather than an error. */
export function useMailboxOptions() {
  return useQuery({ queryKey: workspaceKeys.mailboxes, queryFn: () => fetchMailboxOptions().catch(() => []), staleTime: WORKSPACE_STALE_TIME });
}

/** A lookup from user id to display name, for assignees and note authors. */
export function useUserNames(): Map<string, string> {
  const { data: users = [] } = useUsers();
  return new Map(users.map((user) => [user.id, user.name || user.email]));
}

/** The colour configured for each tag name, where one is. */
export function useTagColors(): Map<string, string> {
  const { data: tags = [] } = useTags();
  return new Map(tags.flatMap((tag) => (tag.color ? [[tag.name, tag.color] as const] : [])));
}
