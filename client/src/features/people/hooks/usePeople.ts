import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { CreateTeamRequest, UpdateTeamRequest, UpdateUserRequest, UserDto } from '../../../../../contracts/api';
import { authKeys } from '../../auth/api/auth.api';
import { workspaceKeys } from '../../workspace/api/workspace.api';
import { createTeam, deleteTeam, inviteUser, resendInvitation, updateTeam, updateUser } from '../api/people.api';

/** People and teams change together (membership lives on both): every change refreshes both lists. */
function useWorkspaceMutation<Input, Result>(mutationFn: (input: Input) => Promise<Result>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn,
    onSettled: async () => {
      await Promise.all([queryClient.invalidateQueries({ queryKey: workspaceKeys.users }), queryClient.invalidateQueries({ queryKey: workspaceKeys.teams })]);
    },
  });
}

export const useInviteUser = () => useWorkspaceMutation(inviteUser);
export const useResendInvitation = () => useWorkspaceMutation(resendInvitation);
export const useUpdateUser = () => useWorkspaceMutation(({ id, changes }: { id: string; changes: UpdateUserRequest }) => updateUser(id, changes));
export const useCreateTeam = () => useWorkspaceMutation((team: CreateTeamRequest) => createTeam(team));
export const useUpdateTeam = () => useWorkspaceMutation(({ id, changes }: { id: string; changes: UpdateTeamRequest }) => updateTeam(id, changes));
export const useDeleteTeam = () => useWorkspaceMutation(deleteTeam);

/** Changes to one's own account also refresh who is signed in (name, time zone …). */
export function useUpdateProfile() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, changes }: { id: string; changes: UpdateUserRequest }) => updateUser(id, changes),
    onSuccess: (user: UserDto) => {
      queryClient.setQueryData(authKeys.me, user);
      void queryClient.invalidateQueries({ queryKey: workspaceKeys.users });
    },
  });
}
