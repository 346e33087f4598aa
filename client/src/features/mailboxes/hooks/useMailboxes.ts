import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { fetchDemoOutbox, fetchMailboxes, fetchOAuthProviders, mailboxKeys, startOAuth, testMailbox } from '../api/mailboxes.api';

/** How often the open page asks again, so a mailbox's health (errors, sync, counts) stays current. */
export const HEALTH_REFRESH_MS = 10_000;

export function useMailboxes() {
  return useQuery({ queryKey: mailboxKeys.list, queryFn: fetchMailboxes, refetchInterval: HEALTH_REFRESH_MS });
}

/** A change to mailboxes; the list (and the mailbox options elsewhere) refetch afterwards. */
export function useMailboxChange<Input, Output>(change: (input: Input) => Promise<Output>) {
  const queryClient = useQueryClient();
  return useMutation({ mutationFn: change, onSuccess: () => queryClient.invalidateQueries({ queryKey: mailboxKeys.all }) });
}

/** Checks IMAP and SMTP of a saved mailbox; the answer stays until the next check. */
export function useMailboxTest() {
  return useMutation({ mutationFn: testMailbox });
}

/** Which providers the server can connect (and which variables the others still need). */
export function useOAuthProviders() {
  return useQuery({ queryKey: mailboxKeys.oauthProviders, queryFn: fetchOAuthProviders, staleTime: Infinity });
}

/** Connect or Reconnect: leaves for the provider's consent page, which sends the browser back to the Mailboxes page. */
export function useOAuthConnect() {
  return useMutation({ mutationFn: startOAuth, onSuccess: ({ authorizationUrl }) => window.location.assign(authorizationUrl) });
}

/** The demo capture outbox, refreshed while open so a reply just "sent" appears. */
export function useDemoOutbox() {
  return useQuery({ queryKey: mailboxKeys.demoOutbox, queryFn: fetchDemoOutbox, refetchInterval: HEALTH_REFRESH_MS });
}
