/**
 * A real OAuth2/OpenID provider (oidc-provider, a certified implementation) standing in for Google's and
 * Microsoft's, run as its own process by test/support/oauth-provider.ts: sign-in and consent pages a browser
 * can use, authorization code + PKCE, refresh tokens (rotated, as Microsoft does), revocation, and the
 * introspection endpoint Dovecot and the test SMTP server validate access tokens against. Clients are
 * registered while it runs, since the app's redirect URI is known only after it starts.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ErrorOut, KoaContextWithOIDC } from 'oidc-provider' with { 'resolution-mode': 'import' };

type Payload = Record<string, unknown> & { grantId?: string; accountId?: string; uid?: string; consumed?: number };
type Command = { id: number } & ({ type: 'registerClient'; client: Payload } | { type: 'revokeAccount'; accountId: string } | { type: 'count'; model: string; accountId: string });

/** Every model in one map per name; what oidc-provider stores (grants, tokens, sessions, clients). */
const stores = new Map<string, Map<string, { payload: Payload; expiresAt: number | null }>>();
const store = (model: string) => {
  let found = stores.get(model);
  if (!found) stores.set(model, (found = new Map()));
  return found;
};

class MemoryAdapter {
  constructor(private readonly model: string) {}
  upsert(id: string, payload: Payload, expiresIn?: number): Promise<void> {
    store(this.model).set(id, { payload, expiresAt: expiresIn ? Date.now() + expiresIn * 1000 : null });
    return Promise.resolve();
  }
  find(id: string): Promise<Payload | undefined> {
    const entry = store(this.model).get(id);
    if (!entry || (entry.expiresAt !== null && entry.expiresAt < Date.now())) return Promise.resolve(undefined);
    return Promise.resolve(entry.payload);
  }
  findByUid(uid: string): Promise<Payload | undefined> {
    const entry = [...store(this.model).values()].find(({ payload }) => payload.uid === uid);
    return Promise.resolve(entry?.payload);
  }
  findByUserCode(): Promise<undefined> {
    return Promise.resolve(undefined);
  }
  consume(id: string): Promise<void> {
    const entry = store(this.model).get(id);
    if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
    return Promise.resolve();
  }
  destroy(id: string): Promise<void> {
    store(this.model).delete(id);
    return Promise.resolve();
  }
  revokeByGrantId(grantId: string): Promise<void> {
    for (const models of stores.values()) for (const [id, { payload }] of models) if (payload.grantId === grantId) models.delete(id);
    return Promise.resolve();
  }
}

/** Withdraws everything an account granted (as "remove app access" at Google or Microsoft), and signs it out. */
function revokeAccount(accountId: string): number {
  const grantIds = new Set<string>();
  for (const models of stores.values()) for (const { payload } of models.values()) if (payload.accountId === accountId && payload.grantId) grantIds.add(payload.grantId);
  for (const [model, entries] of stores) {
    for (const [id, { payload }] of entries) {
      if ((payload.grantId && grantIds.has(payload.grantId)) || (model === 'Grant' && payload.accountId === accountId) || (model === 'Session' && payload.accountId === accountId)) entries.delete(id);
    }
  }
  return grantIds.size;
}

const accessTokenTtl = Number(process.env.OAUTH_ACCESS_TOKEN_TTL ?? 60);
const server = createServer();
server.listen(0, '127.0.0.1', () => void serve());

/** oidc-provider is an ES module only: loaded with import(). */
async function serve(): Promise<void> {
  const { default: Provider } = await import('oidc-provider');
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const provider = new Provider(issuer, {
    adapter: MemoryAdapter,
    clients: [],
    scopes: ['openid', 'offline_access', 'email', 'profile', 'https://mail.google.com/', 'https://outlook.office.com/IMAP.AccessAsUser.All', 'https://outlook.office.com/SMTP.Send'],
    claims: { email: ['email', 'email_verified'], profile: ['name', 'preferred_username'] },
    // Google's and Microsoft's ID tokens carry the address; so do these.
    conformIdTokenClaims: false,
    findAccount: (_ctx, accountId) => Promise.resolve({ accountId, claims: () => ({ sub: accountId, email: accountId, email_verified: true, preferred_username: accountId }) }),
    features: { devInteractions: { enabled: true }, introspection: { enabled: true }, revocation: { enabled: true } },
    // Confidential clients get refresh tokens whenever they may use the grant (Google's access_type=offline).
    issueRefreshToken: (_ctx, client) => Promise.resolve(client.grantTypeAllowed('refresh_token')),
    rotateRefreshToken: true,
    // Access tokens carry the address, so a mail server's introspection can match it to the login name.
    extraTokenClaims: (_ctx, token) => Promise.resolve('accountId' in token && token.accountId ? { username: token.accountId } : undefined),
    ttl: { AccessToken: accessTokenTtl, RefreshToken: 14 * 86_400, Session: 86_400, Interaction: 3600, Grant: 14 * 86_400, AuthorizationCode: 60, IdToken: 3600 },
    cookies: { keys: ['careloop-test-provider-cookie-key'] },
    pkce: { required: () => true },
    renderError: (ctx: KoaContextWithOIDC, out: ErrorOut) => {
      ctx.type = 'html';
      ctx.body = `<h1>Sign-in error</h1><pre>${JSON.stringify(out)}</pre>`;
      return Promise.resolve();
    },
  });
  provider.on('server_error', (_ctx, error) => process.stderr.write(`provider server_error: ${String(error)}\n`));
  const handle = provider.callback();
  server.on('request', (request, response) => void handle(request, response));

  process.on('message', (command: Command) => {
    const answer = (result: unknown) => process.send?.({ id: command.id, result });
    if (command.type === 'registerClient') void new MemoryAdapter('Client').upsert(String(command.client.client_id), command.client).then(() => answer(true));
    else if (command.type === 'revokeAccount') answer(revokeAccount(command.accountId));
    else answer([...store(command.model).values()].filter(({ payload }) => payload.accountId === command.accountId).length);
  });
  process.send?.({ ready: issuer });
}
