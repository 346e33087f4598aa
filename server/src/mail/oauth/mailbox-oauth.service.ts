import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OAUTH_PROVIDERS, type OAuthProvider, type OAuthProviderStatusDto, type StartOAuthRequest } from '../../../../contracts/mail';
import { Clock } from '../../common/clock';
import { DomainError, InvalidFieldError, NotFoundError } from '../../common/errors';
import { SecretBox } from '../../common/secret-box';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import type { Mailbox } from '../mailbox.entity';
import { MailboxRepository, type MailboxSecrets } from '../mailbox.repository';
import { MailboxesService } from '../mailboxes.service';
import { OutboxService } from '../../outbox/outbox.service';
import { MailboxCredentials } from './mailbox-credentials.service';
import { OAuthClient, type ConsentResult } from './oauth-client';
import { OAUTH_PROFILES } from './oauth-providers';

/** What the browser carries (sealed, in a cookie) from the Connect click to the provider's redirect back. */
interface PendingConsent {
  provider: OAuthProvider;
  state: string;
  codeVerifier: string;
  address: string | null;
  mailboxId: string | null;
  expiresAt: number;
}

/** A consent that did not end in a connected mailbox, with the sentence the Mailboxes page shows. */
export class ConsentFailedError extends Error {}

export interface ConnectedMailbox {
  mailboxId: string;
  /** Set when the connection check after connecting failed: what to fix. */
  warning: string | null;
}

/** Long enough to sign in, pick an account and read the consent screen; short enough to be useless later. */
const CONSENT_MINUTES = 10;

export function parseProvider(value: string): OAuthProvider {
  const provider = OAUTH_PROVIDERS.find((candidate) => candidate === value);
  if (!provider) throw new InvalidFieldError('provider', `must be one of ${OAUTH_PROVIDERS.join(', ')}`);
  return provider;
}

/**
 * Connecting a mailbox with OAuth2: the Connect click (state and PKCE sealed into a cookie), the provider's
 * redirect back (code exchange, the signed-in account), and the mailbox it fills in or reconnects.
 */
@Injectable()
export class MailboxOAuthService {
  private readonly logger = new Logger('MailboxOAuth');

  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly mailboxesService: MailboxesService,
    private readonly oauth: OAuthClient,
    private readonly credentials: MailboxCredentials,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  providers(): OAuthProviderStatusDto[] {
    return OAUTH_PROVIDERS.map((provider) => {
      const missing = this.oauth.missingSettings(provider);
      return { provider, label: OAUTH_PROFILES[provider].label, configured: missing.length === 0, missing, redirectUri: this.oauth.redirectUri };
    });
  }

  /** The provider's consent URL, and the sealed pending consent the browser keeps until it comes back. */
  async start(provider: OAuthProvider, input: StartOAuthRequest): Promise<{ authorizationUrl: string; pending: string }> {
    const missing = this.oauth.missingSettings(provider);
    if (missing.length) throw new DomainError('oauth_not_configured', `${OAUTH_PROFILES[provider].label} is not set up on this server: set ${missing.join(' and ')}.`, 409);
    const reconnecting = input.mailboxId ? await this.mailboxes.findById(input.mailboxId) : null;
    if (input.mailboxId && !reconnecting) throw new NotFoundError('Mailbox');
    const request = await this.oauth.authorizationRequest(provider, input.address ?? reconnecting?.oauthAccount ?? undefined);
    const pending: PendingConsent = {
      provider,
      state: request.state,
      codeVerifier: request.codeVerifier,
      address: input.address ?? null,
      mailboxId: reconnecting?.id ?? null,
      expiresAt: this.clock.now().getTime() + CONSENT_MINUTES * 60_000,
    };
    return { authorizationUrl: request.url, pending: this.secrets.seal(JSON.stringify(pending)) };
  }

  /** Handles the provider's redirect back; ConsentFailedError says in words why nothing was connected. */
  async complete(query: URLSearchParams, sealedPending: string | undefined): Promise<ConnectedMailbox> {
    const pending = this.openPending(sealedPending);
    const label = OAUTH_PROFILES[pending.provider].label;
    const refusal = query.get('error');
    if (refusal === 'access_denied') throw new ConsentFailedError(`Access was not granted at ${label}, so nothing was connected.`);
    if (refusal) throw new ConsentFailedError(`${label} refused the sign-in: ${query.get('error_description') ?? refusal}`);
    let consent: ConsentResult;
    try {
      consent = await this.oauth.completeConsent(pending.provider, query, pending);
    } catch (error) {
      this.logger.warn(`${label} sign-in failed: ${String(error)}`);
      throw new ConsentFailedError(`Signing in with ${label} could not be completed (${(error as Error).message}). Try Connect again.`, { cause: error });
    }
    if (!consent.account) throw new ConsentFailedError(`${label} did not say which address signed in (no email in the ID token): allow the "email" scope for the app.`);
    if (!consent.refreshToken) {
      throw new ConsentFailedError(`${label} gave no refresh token, so the mailbox could not stay connected: remove Careloop from the account's connected apps and connect again.`);
    }
    const grant = { ...consent, account: consent.account, refreshToken: consent.refreshToken };
    const mailbox = await this.outbox.transaction(async (manager, raise) => {
      const saved = await this.save(pending, grant, manager);
      raise({ name: 'mailbox.changed', payload: { mailboxId: saved.id } });
      return saved;
    });
    const check = await this.mailboxesService.testConnection(mailbox.id);
    const problems = [check.imap, check.smtp].filter((result) => !result.ok).map((result) => result.message);
    return { mailboxId: mailbox.id, warning: problems.length ? problems.join(' ') : null };
  }

  /** Fills in a new mailbox, or reconnects one: its history and import checkpoint stay as they are. */
  private async save(pending: PendingConsent, consent: ConsentResult & { account: string; refreshToken: string }, manager: EntityManager): Promise<Mailbox> {
    const existing = pending.mailboxId ? await this.mailboxes.findById(pending.mailboxId) : await this.mailboxes.findByAddress(pending.address ?? consent.account);
    if (pending.mailboxId && !existing) throw new ConsentFailedError('The mailbox was removed while you were signing in: nothing was connected.');
    const address = existing?.address ?? pending.address ?? consent.account;
    const { imap, smtp } = this.config.oauth[pending.provider];
    const login = OAUTH_PROFILES[pending.provider].loginFor(address, consent.account);
    const times = this.credentials.tokenTimes(consent);
    const connection: Partial<Mailbox & MailboxSecrets> = {
      oauthProvider: pending.provider,
      oauthAccount: consent.account,
      oauthRefreshTokenSealed: this.secrets.seal(consent.refreshToken),
      oauthAccessTokenSealed: this.secrets.seal(consent.accessToken),
      oauthAccessTokenExpiresAt: times.expiresAt,
      oauthRefreshDueAt: times.refreshDueAt,
      oauthError: null,
      imapHost: imap.host,
      imapPort: imap.port,
      imapTls: imap.tls,
      imapUser: login,
      imapPasswordSealed: null,
      smtpHost: smtp.host,
      smtpPort: smtp.port,
      smtpTls: smtp.tls,
      smtpUser: login,
      smtpPasswordSealed: null,
      // Moves even if nothing else visible changed: the ingestion worker reconnects with the new grant.
      updatedAt: this.clock.now(),
    };
    return this.mailboxes.save(existing ? { id: existing.id, ...connection } : { name: address, address, isActive: true, ...connection }, manager);
  }

  private openPending(sealed: string | undefined): PendingConsent {
    const expired = new ConsentFailedError('The sign-in took too long, or started in another browser: click Connect again.');
    if (!sealed) throw expired;
    let pending: PendingConsent;
    try {
      pending = JSON.parse(this.secrets.open(sealed)) as PendingConsent;
    } catch {
      throw expired;
    }
    if (pending.expiresAt < this.clock.now().getTime()) throw expired;
    return pending;
  }
}
