import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { LoginRequest } from '../../../../../contracts/api';
import { navigate } from '../../../routes';
import { authKeys, fetchCurrentUser, login, logout } from '../api/auth.api';

export function useCurrentUser() {
  return useQuery({ queryKey: authKeys.me, queryFn: fetchCurrentUser, staleTime: Infinity });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (credentials: LoginRequest) => login(credentials),
    onSuccess: (session) => {
      // A new session may be another user: nothing cached for the previous one may show.
      queryClient.clear();
      queryClient.setQueryData(authKeys.me, session.user);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: logout,
    // Leave the inbox before dropping its data, so nothing refetches with the ended session.
    onSettled: () => {
      navigate({ page: 'login', returnTo: null });
      queryClient.clear();
    },
  });
}
