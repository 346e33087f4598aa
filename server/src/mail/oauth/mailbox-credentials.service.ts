import { Inject, Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { SecretBox } from '../../common/secret-box';
import type { ImapAuth, SmtpAuth } from '../connection';
import type { Mailbox } from '../mailbox.entity';
import { MailboxRepository, type MailboxSecrets, type OAuthTokenState } from '../mailbox.repository';
import { OAuthClient, type IssuedTokens } from './oauth-client';
import { MailboxAccessRevokedError } from './oauth-providers';

export interface AccessToken {
  token: string;
  /** When the holder of the mailbox renews it, well before it expires. */
  refreshDueAt: Date;
}

/** A token is renewed when a quarter of its life is left, at most five minutes before it expires. */
const MAX_REFRESH_MARGIN_S = 300;
/** A token this close to expiry is not handed out even when the provider cannot be reached. */
const MIN_REMAINING_MS = 10_000;

/**
 * How a mailbox logs in to IMAP and SMTP: its password, or an OAuth2 access token (XOAUTH2) that is
 * renewed before it expires. Renewals take the mailbox row's lock, so the ingestion worker and senders on
 * any instance never refresh twice; a refusal for good records why and stops the mailbox until a Reconnect.
 */
@Injectable()
export class MailboxCredentials {
  private readonly logger = new Logger('MailboxCredentials');

  constructor(
    private readonly mailboxes: MailboxRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly oauth: OAuthClient,
    private readonly clock: Clock,
  ) {}

  async imap(mailbox: Mailbox & MailboxSecrets): Promise<ImapAuth> {
    const user = mailbox.imapUser ?? mailbox.address;
    if (!mailbox.oauthProvider) return { user, pass: this.open(mailbox.imapPasswordSealed) };
    return { user, accessToken: (await this.accessToken(mailbox.id)).token };
  }

  /** Pooled SMTP connections ask for a token whenever they log in; `renew` after the server refused one. */
  smtp(mailbox: Mailbox & MailboxSecrets): SmtpAuth | undefined {
    if (mailbox.oauthProvider) {
      return {
        type: 'OAuth2',
        user: mailbox.smtpUser ?? mailbox.address,
        provisionCallback: (_user, renew, callback) => {
          this.accessToken(mailbox.id, { renew }).then(
            ({ token, refreshDueAt }) => callback(null, token, refreshDueAt.getTime()),
            (error: Error) => callback(error),
          );
        },
      };
    }
    return mailbox.smtpUser ? { user: mailbox.smtpUser, pass: this.open(mailbox.smtpPasswordSealed) } : undefined;
  }

  /** A valid access token, renewed first when due (or when `renew`: the server refused the current one). */
  async accessToken(mailboxId: string, options: { renew?: boolean } = {}): Promise<AccessToken> {
    const current = await this.mailboxes.findOAuthState(mailboxId);
    const usable = current && this.usable(current, options.renew ?? false);
    if (usable) return usable;
    const outcome = await this.mailboxes.withOAuthLock(mailboxId, async (state, store): Promise<AccessToken | MailboxAccessRevokedError> => {
      if (!state) throw new Error('The mailbox is not connected with OAuth');
      // Another process may have renewed it while this one waited for the lock.
      const renewedMeanwhile = state.accessTokenSealed !== current?.accessTokenSealed ? this.usable(state, false) : null;
      if (renewedMeanwhile) return renewedMeanwhile;
      if (state.error) return new MailboxAccessRevokedError(state.error);
      if (!state.refreshTokenSealed) return new MailboxAccessRevokedError('No refresh token is stored: reconnect');
      try {
        const issued = await this.oauth.refresh(state.provider, this.secrets.open(state.refreshTokenSealed));
        const renewed = this.tokenTimes(issued);
        await store({
          accessTokenSealed: this.secrets.seal(issued.accessToken),
          ...(issued.refreshToken ? { refreshTokenSealed: this.secrets.seal(issued.refreshToken) } : {}),
          accessTokenExpiresAt: renewed.expiresAt,
          refreshDueAt: renewed.refreshDueAt,
        });
        return { token: issued.accessToken, refreshDueAt: renewed.refreshDueAt };
      } catch (error) {
        if (error instanceof MailboxAccessRevokedError) {
          await store({ error: error.message, accessTokenSealed: null });
          return error;
        }
        // The provider is unreachable: a token that still lives keeps the mailbox working meanwhile.
        const stillValid = state.accessTokenSealed && state.accessTokenExpiresAt && state.accessTokenExpiresAt.getTime() - this.clock.now().getTime() > MIN_REMAINING_MS;
        if (!stillValid || !state.accessTokenSealed) throw error;
        this.logger.warn(`mailbox ${mailboxId}: token refresh failed, using the current token until it expires: ${String(error)}`);
        return { token: this.secrets.open(state.accessTokenSealed), refreshDueAt: new Date(this.clock.now().getTime() + MIN_REMAINING_MS) };
      }
    });
    if (outcome instanceof MailboxAccessRevokedError) throw outcome;
    return outcome;
  }

  /** Expiry and renewal time of tokens just issued. */
  tokenTimes(issued: Pick<IssuedTokens, 'expiresIn'>): { expiresAt: Date; refreshDueAt: Date } {
    const now = this.clock.now().getTime();
    const margin = Math.min(MAX_REFRESH_MARGIN_S, issued.expiresIn / 4);
    return { expiresAt: new Date(now + issued.expiresIn * 1000), refreshDueAt: new Date(now + (issued.expiresIn - margin) * 1000) };
  }

  private usable(state: OAuthTokenState, renew: boolean): AccessToken | null {
    if (state.error) throw new MailboxAccessRevokedError(state.error);
    if (renew || !state.accessTokenSealed || !state.refreshDueAt || state.refreshDueAt.getTime() <= this.clock.now().getTime()) return null;
    return { token: this.secrets.open(state.accessTokenSealed), refreshDueAt: state.refreshDueAt };
  }

  private open(sealed: string | null): string {
    return sealed ? this.secrets.open(sealed) : '';
  }
}
