import type { CapturedEmailDto, ConnectionCheckDto, CreateMailboxRequest, MailboxDto, OAuthProvider, OAuthProviderStatusDto, StartOAuthDto, StartOAuthRequest, UpdateMailboxRequest } from '../../../../../contracts/mail';
import { api } from '../../../api/client';

/** Under `mailboxes`, so a change also refreshes the mailbox options that rules and journeys offer. */
export const mailboxKeys = {
  all: ['mailboxes'] as const,
  list: ['mailboxes', 'list'] as const,
  oauthProviders: ['mailboxes', 'oauth-providers'] as const,
  demoOutbox: ['mailboxes', 'demo-outbox'] as const,
};

const path = (id: string) => `/mailboxes/${encodeURIComponent(id)}`;

export const fetchMailboxes = () => api.get<MailboxDto[]>('/mailboxes');
export const createMailbox = (mailbox: CreateMailboxRequest) => api.post<MailboxDto>('/mailboxes', mailbox);
export const updateMailbox = ({ id, changes }: { id: string; changes: UpdateMailboxRequest }) => api.patch<MailboxDto>(path(id), changes);
export const deleteMailbox = (id: string) => api.delete<void>(path(id));
export const testMailbox = (id: string) => api.post<ConnectionCheckDto>(`${path(id)}/test`);
export const fetchOAuthProviders = () => api.get<OAuthProviderStatusDto[]>('/mailboxes/oauth/providers');
/** Answers the provider's consent URL; the browser goes there and comes back to `#/mailboxes?oauth=…`. */
export const startOAuth = ({ provider, ...request }: StartOAuthRequest & { provider: OAuthProvider }) => api.post<StartOAuthDto>(`/mailboxes/oauth/${provider}/start`, request);
export const fetchDemoOutbox = () => api.get<CapturedEmailDto[]>('/mailboxes/demo-outbox');
