import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';

/**
 * The loopback OAuth2/OpenID provider (test/support/oauth-provider-process.ts) from a test's side: its
 * issuer URL (what CARELOOP_*_ISSUER points at), the introspection endpoint and the credentials a mail
 * server uses there, and controls a real provider's admin would have: register an app, revoke an account's
 * grants.
 */
export interface OAuthTestProvider {
  issuer: string;
  /** For Dovecot's oauth2 passdb and the SMTP server: POST token=… with these client credentials. */
  introspection: { url: string; clientId: string; clientSecret: string };
  /** Registers a confidential web app (as a self-hoster does at Google or Microsoft) and returns its credentials. */
  registerApp(redirectUri: string): Promise<{ clientId: string; clientSecret: string }>;
  /** Withdraws every grant the account gave (and signs it out), as removing an app's access does. */
  revokeAccount(accountId: string): Promise<number>;
  /** How many live tokens of a kind (AccessToken, RefreshToken, Grant) the account holds. */
  count(model: 'AccessToken' | 'RefreshToken' | 'Grant', accountId: string): Promise<number>;
  stop(): Promise<void>;
}

export async function startOAuthProvider(options: { accessTokenTtlSeconds?: number } = {}): Promise<OAuthTestProvider> {
  const child = fork(join(__dirname, 'oauth-provider-process.ts'), [], {
    execArgv: ['-r', '@swc-node/register'],
    env: { ...process.env, OAUTH_ACCESS_TOKEN_TTL: String(options.accessTokenTtlSeconds ?? 60), NODE_ENV: 'test' },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const issuer = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`The OAuth provider did not start within 20 s\n${stderr}`)), 20_000);
    child.on('message', (message: { ready?: string }) => {
      if (message.ready) {
        clearTimeout(timer);
        resolve(message.ready);
      }
    });
    child.once('exit', (code) => reject(new Error(`The OAuth provider exited (${code})\n${stderr}`)));
  });

  let nextId = 0;
  const call = <T>(command: Record<string, unknown>): Promise<T> =>
    new Promise((resolve, reject) => {
      const id = ++nextId;
      const onMessage = (message: { id?: number; result?: T }) => {
        if (message.id !== id) return;
        child.off('message', onMessage);
        resolve(message.result as T);
      };
      child.on('message', onMessage);
      child.send({ id, ...command }, (error) => error && reject(error));
    });
  const register = async (client: Record<string, unknown>) => {
    await call({ type: 'registerClient', client });
  };

  const mailServer = { clientId: 'mail-server', clientSecret: randomBytes(12).toString('hex') };
  await register({ client_id: mailServer.clientId, client_secret: mailServer.clientSecret, grant_types: [], response_types: [], redirect_uris: [] });

  return {
    issuer,
    introspection: { url: `${issuer}/token/introspection`, ...mailServer },
    async registerApp(redirectUri) {
      const app = { clientId: `careloop-${randomBytes(4).toString('hex')}`, clientSecret: randomBytes(16).toString('hex') };
      await register({
        client_id: app.clientId,
        client_secret: app.clientSecret,
        redirect_uris: [redirectUri],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        token_endpoint_auth_method: 'client_secret_basic',
      });
      return app;
    },
    revokeAccount: (accountId) => call<number>({ type: 'revokeAccount', accountId }),
    count: (model, accountId) => call<number>({ type: 'count', model, accountId }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
