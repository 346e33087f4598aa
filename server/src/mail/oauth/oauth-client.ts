import { Inject, Injectable } from '@nestjs/common';
import type * as OpenIdClientModule from 'openid-client' with { 'resolution-mode': 'import' };
import type { OAuthProvider } from '../../../../contracts/mail';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { MailboxAccessRevokedError, OAUTH_PROFILES, revokedMessage } from './oauth-providers';

/** openid-client ships only as an ES module: loaded once, on first use, with import(). */
type OpenIdClient = typeof OpenIdClientModule;
type Configuration = OpenIdClientModule.Configuration;

export interface IssuedTokens {
  accessToken: string;
  /** Some refreshes rotate the refresh token (Microsoft); null keeps the one held. */
  refreshToken: string | null;
  /** Seconds the access token lives. */
  expiresIn: number;
}

export interface ConsentResult extends IssuedTokens {
  /** The signed-in account's address, from the ID token. */
  account: string | null;
}

export interface AuthorizationRequest {
  state: string;
  codeVerifier: string;
  url: string;
}

/** Refreshes are retried later when the provider did not answer; an hour-long token still covers that. */
const DEFAULT_EXPIRES_IN = 3600;

/**
 * The OAuth2/OpenID side of mailbox connections, through openid-client (discovery, PKCE, code exchange,
 * ID-token validation, refresh). The provider's endpoints come from its issuer's discovery document, so
 * pointing CARELOOP_*_ISSUER elsewhere (a test provider) changes them all.
 */
@Injectable()
export class OAuthClient {
  private library: Promise<OpenIdClient> | null = null;
  private readonly configurations = new Map<OAuthProvider, Promise<Configuration>>();

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  get redirectUri(): string {
    return `${this.config.publicUrl}/api/mailboxes/oauth/callback`;
  }

  /** The variables still to set before a provider can be used; empty when it is configured. */
  missingSettings(provider: OAuthProvider): string[] {
    const { clientId, clientSecret } = this.config.oauth[provider];
    const { env } = OAUTH_PROFILES[provider];
    return [...(clientId ? [] : [env.clientId]), ...(clientSecret ? [] : [env.clientSecret])];
  }

  async authorizationRequest(provider: OAuthProvider, loginHint: string | undefined): Promise<AuthorizationRequest> {
    const oidc = await this.openIdClient();
    const configuration = await this.configuration(provider);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const profile = OAUTH_PROFILES[provider];
    const url = oidc.buildAuthorizationUrl(configuration, {
      redirect_uri: this.redirectUri,
      scope: profile.scope,
      response_type: 'code',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      ...profile.authorizationParameters,
      ...(loginHint ? { login_hint: loginHint } : {}),
    });
    return { state, codeVerifier, url: url.href };
  }

  /** Exchanges the code the provider sent back (checking state and PKCE) for tokens and the account. */
  async completeConsent(provider: OAuthProvider, query: URLSearchParams, checks: { state: string; codeVerifier: string }): Promise<ConsentResult> {
    const oidc = await this.openIdClient();
    const callbackUrl = new URL(`${this.redirectUri}?${query.toString()}`);
    const tokens = await oidc.authorizationCodeGrant(await this.configuration(provider), callbackUrl, { pkceCodeVerifier: checks.codeVerifier, expectedState: checks.state, idTokenExpected: true });
    const claims = tokens.claims();
    const candidates = [claims?.email, claims?.preferred_username, claims?.upn];
    const account = candidates.find((value): value is string => typeof value === 'string' && value.includes('@'));
    return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, expiresIn: tokens.expiresIn() ?? DEFAULT_EXPIRES_IN, account: account?.toLowerCase() ?? null };
  }

  /** A new access token; MailboxAccessRevokedError when the provider refuses the grant for good. */
  async refresh(provider: OAuthProvider, refreshToken: string): Promise<IssuedTokens> {
    const oidc = await this.openIdClient();
    try {
      // No scope parameter: the renewed token carries what was granted (RFC 6749 §6), at Google and Microsoft alike.
      const tokens = await oidc.refreshTokenGrant(await this.configuration(provider), refreshToken);
      return { accessToken: tokens.access_token, refreshToken: tokens.refresh_token ?? null, expiresIn: tokens.expiresIn() ?? DEFAULT_EXPIRES_IN };
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError && (error.error === 'invalid_grant' || error.error === 'unauthorized_client')) {
        throw new MailboxAccessRevokedError(revokedMessage(provider), { cause: error });
      }
      if (error instanceof oidc.ResponseBodyError) {
        throw new Error(`${OAUTH_PROFILES[provider].label} refused to renew the access token: ${error.error_description ?? error.error}`, { cause: error });
      }
      throw error;
    }
  }

  private openIdClient(): Promise<OpenIdClient> {
    this.library ??= import('openid-client');
    return this.library;
  }

  /** Discovered once per provider; a failed discovery is tried again next time. */
  private configuration(provider: OAuthProvider): Promise<Configuration> {
    const cached = this.configurations.get(provider);
    if (cached) return cached;
    const discovered = this.discover(provider);
    this.configurations.set(provider, discovered);
    discovered.catch(() => this.configurations.delete(provider));
    return discovered;
  }

  private async discover(provider: OAuthProvider): Promise<Configuration> {
    const oidc = await this.openIdClient();
    const { clientId, clientSecret, issuer } = this.config.oauth[provider];
    if (!clientId || !clientSecret) throw new Error(`${OAUTH_PROFILES[provider].label} is not configured`);
    const server = new URL(issuer);
    // Plain HTTP only to a provider on this machine (a test or development stand-in), never across a network.
    const loopback = server.protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(server.hostname);
    return oidc.discovery(server, clientId, clientSecret, undefined, loopback ? { execute: [oidc.allowInsecureRequests] } : undefined);
  }
}
