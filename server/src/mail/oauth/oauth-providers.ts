import type { OAuthProvider } from '../../../../contracts/mail';

/** What differs between the providers Careloop connects mailboxes to with OAuth2. */
export interface OAuthProviderProfile {
  label: string;
  /** The environment variables of its OAuth app, named in the Connect button's hint when unset. */
  env: { clientId: string; clientSecret: string };
  scope: string;
  /** Extra authorization parameters: Google hands out a refresh token only with offline access and consent. */
  authorizationParameters: Record<string, string>;
  /**
   * The IMAP/SMTP login name. Microsoft 365 signs in to a shared mailbox with the delegate's token and
   * the shared mailbox's address; Google only accepts the account that consented (a group's address
   * is a "send mail as" alias of it).
   */
  loginFor(mailboxAddress: string, signedInAccount: string): string;
}

export const OAUTH_PROFILES: Record<OAuthProvider, OAuthProviderProfile> = {
  google: {
    label: 'Google',
    env: { clientId: 'CARELOOP_GOOGLE_CLIENT_ID', clientSecret: 'CARELOOP_GOOGLE_CLIENT_SECRET' },
    scope: 'openid email https://mail.google.com/',
    authorizationParameters: { access_type: 'offline', prompt: 'consent' },
    loginFor: (_mailboxAddress, signedInAccount) => signedInAccount,
  },
  microsoft: {
    label: 'Microsoft 365',
    env: { clientId: 'CARELOOP_MICROSOFT_CLIENT_ID', clientSecret: 'CARELOOP_MICROSOFT_CLIENT_SECRET' },
    scope: 'openid email profile offline_access https://outlook.office.com/IMAP.AccessAsUser.All https://outlook.office.com/SMTP.Send',
    // The browser's Microsoft session picks the account; login_hint names the mailbox when one was typed.
    authorizationParameters: {},
    loginFor: (mailboxAddress) => mailboxAddress,
  },
};

/** The sentence a mailbox shows once its provider no longer honours the grant. */
export function revokedMessage(provider: OAuthProvider): string {
  return `${OAUTH_PROFILES[provider].label} access was revoked: reconnect`;
}

/** A refresh the provider refused for good (consent revoked, password changed): only a Reconnect helps. */
export class MailboxAccessRevokedError extends Error {
  readonly code = 'EOAUTH_REVOKED';
}
