import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const flag = z
  .enum(['1', '0', 'true', 'false', 'on', 'off', 'yes', 'no'])
  .transform((value) => ['1', 'true', 'on', 'yes'].includes(value));

/** Every environment variable Careloop reads; documented in the README's configuration table. */
const EnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().url().optional(),
  CARELOOP_DATA_DIR: z.string().default('.careloop-data'),
  CARELOOP_EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
  CARELOOP_SECRET_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  CARELOOP_ADMIN_EMAIL: z.email().default('admin@careloop.local'),
  CARELOOP_ADMIN_PASSWORD: z.string().min(10, 'must be at least 10 characters').optional(),
  CARELOOP_DEMO: flag.default(true),
  CARELOOP_SESSION_HOURS: z.coerce.number().int().min(1).max(24 * 90).default(24 * 14),
  CARELOOP_LOGIN_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(10),
  CARELOOP_CLIENT_DIR: z.string().default('client/dist'),
  CARELOOP_TRUST_PROXY: flag.default(false),
  CARELOOP_WORKERS: flag.default(true),
  CARELOOP_MAX_EMAIL_MB: z.coerce.number().positive().default(30),
  CARELOOP_IMAP_POLL_SECONDS: z.coerce.number().positive().default(60),
  CARELOOP_AUTO_REPLIES_PER_HOUR: z.coerce.number().int().min(0).default(3),
  CARELOOP_EVENT_RETRY_SECONDS: z.coerce.number().positive().default(2),
  CARELOOP_EVENT_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  CARELOOP_PUBLIC_URL: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://help.example.com' })
    .refine((value) => !/[?#]/.test(value), 'must not carry a query or fragment')
    .optional(),
  CARELOOP_GOOGLE_CLIENT_ID: z.string().min(1).optional(),
  CARELOOP_GOOGLE_CLIENT_SECRET: z.string().min(1).optional(),
  CARELOOP_GOOGLE_ISSUER: z.url({ protocol: /^https?$/ }).default('https://accounts.google.com'),
  CARELOOP_GOOGLE_IMAP_URL: mailServerUrl('imap').prefault('imaps://imap.gmail.com:993'),
  CARELOOP_GOOGLE_SMTP_URL: mailServerUrl('smtp').prefault('smtps://smtp.gmail.com:465'),
  CARELOOP_MICROSOFT_CLIENT_ID: z.string().min(1).optional(),
  CARELOOP_MICROSOFT_CLIENT_SECRET: z.string().min(1).optional(),
  CARELOOP_MICROSOFT_TENANT: z.string().regex(/^[a-z0-9.-]+$/i, 'must be a tenant ID, a domain, or organizations').default('organizations'),
  CARELOOP_MICROSOFT_ISSUER: z.url({ protocol: /^https?$/ }).optional(),
  CARELOOP_MICROSOFT_IMAP_URL: mailServerUrl('imap').prefault('imaps://outlook.office365.com:993'),
  CARELOOP_MICROSOFT_SMTP_URL: mailServerUrl('smtp').prefault('smtp://smtp.office365.com:587'),
})
  .superRefine((env, context) => {
    // Half an OAuth app is a mistake worth stopping for; none at all just leaves its Connect button off.
    for (const [id, secret] of [['CARELOOP_GOOGLE_CLIENT_ID', 'CARELOOP_GOOGLE_CLIENT_SECRET'], ['CARELOOP_MICROSOFT_CLIENT_ID', 'CARELOOP_MICROSOFT_CLIENT_SECRET']] as const) {
      if (env[id] && !env[secret]) context.addIssue({ code: 'custom', path: [secret], message: `must be set when ${id} is` });
      if (env[secret] && !env[id]) context.addIssue({ code: 'custom', path: [id], message: `must be set when ${secret} is` });
    }
  });

/** "imaps://host:993" (TLS from the start) or "imap://host:143" (STARTTLS when offered); the same for smtp(s). */
function mailServerUrl(protocol: 'imap' | 'smtp') {
  return z
    .string()
    .regex(new RegExp(`^${protocol}s?://[a-z0-9.-]+:\\d{1,5}$`, 'i'), `must look like ${protocol}s://host:port (TLS) or ${protocol}://host:port (STARTTLS)`)
    .transform((value): MailServer => {
      const url = new URL(value.replace(/^[a-z]+:/i, 'http:'));
      return { host: url.hostname, port: Number(url.port), tls: value.toLowerCase().startsWith(`${protocol}s:`) };
    });
}

export interface MailServer {
  host: string;
  port: number;
  /** true: TLS from the start; false: STARTTLS when the server offers it. */
  tls: boolean;
}

/** A provider's OAuth app (registered by the self-hoster) and the servers its mailboxes use. */
export interface OAuthProviderConfig {
  /** Unset: the provider's Connect button explains which variables are missing. */
  clientId: string | undefined;
  clientSecret: string | undefined;
  /** The OpenID issuer; its discovery document gives the authorization and token endpoints. */
  issuer: string;
  imap: MailServer;
  smtp: MailServer;
}

export interface AppConfig {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  embeddedPgPort: number;
  /** Never logged; used to encrypt stored mailbox passwords. */
  secretKey: string;
  adminEmail: string;
  adminPassword: string | undefined;
  demo: boolean;
  sessionHours: number;
  loginLimitPerMinute: number;
  clientDir: string;
  trustProxy: boolean;
  /** Run background workers (job queue, mail ingestion, schedulers) in this process. */
  workers: boolean;
  /** Larger messages are kept raw with a note instead of being parsed. */
  maxEmailBytes: number;
  /** How often a mailbox is checked when its server cannot push new mail (no IDLE), and as a safety net. */
  imapPollSeconds: number;
  /** Automatic emails to one address per hour, at most (loop protection). */
  autoRepliesPerHour: number;
  /** A listener's failed delivery is retried after this many seconds, doubling per attempt (up to 5 minutes) … */
  eventRetrySeconds: number;
  /** … and lands on the dead-letter list after this many attempts. */
  eventMaxAttempts: number;
  /**
   * Where people reach Careloop, without a trailing slash (e.g. `https://help.example.com`): the origin browsers
   * may send state-changing requests and sockets from, and the base of links in emails and OAuth redirects.
   */
  publicUrl: string;
  /** Never logged: the client secrets of the Google and Microsoft OAuth apps. */
  oauth: { google: OAuthProviderConfig; microsoft: OAuthProviderConfig };
}

export class ConfigError extends Error {}

/** Validates the whole environment at once so a bad start lists every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.CARELOOP_DATA_DIR);
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir,
    embeddedPgPort: e.CARELOOP_EMBEDDED_PG_PORT,
    secretKey: e.CARELOOP_SECRET_KEY ?? readOrCreateSecretKey(dataDir),
    adminEmail: e.CARELOOP_ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.CARELOOP_ADMIN_PASSWORD,
    demo: e.CARELOOP_DEMO,
    sessionHours: e.CARELOOP_SESSION_HOURS,
    loginLimitPerMinute: e.CARELOOP_LOGIN_LIMIT_PER_MINUTE,
    clientDir: resolve(e.CARELOOP_CLIENT_DIR),
    trustProxy: e.CARELOOP_TRUST_PROXY,
    workers: e.CARELOOP_WORKERS,
    maxEmailBytes: Math.round(e.CARELOOP_MAX_EMAIL_MB * 1024 * 1024),
    imapPollSeconds: e.CARELOOP_IMAP_POLL_SECONDS,
    autoRepliesPerHour: e.CARELOOP_AUTO_REPLIES_PER_HOUR,
    eventRetrySeconds: e.CARELOOP_EVENT_RETRY_SECONDS,
    eventMaxAttempts: e.CARELOOP_EVENT_MAX_ATTEMPTS,
    publicUrl: (e.CARELOOP_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    oauth: {
      google: { clientId: e.CARELOOP_GOOGLE_CLIENT_ID, clientSecret: e.CARELOOP_GOOGLE_CLIENT_SECRET, issuer: e.CARELOOP_GOOGLE_ISSUER, imap: e.CARELOOP_GOOGLE_IMAP_URL, smtp: e.CARELOOP_GOOGLE_SMTP_URL },
      microsoft: {
        clientId: e.CARELOOP_MICROSOFT_CLIENT_ID,
        clientSecret: e.CARELOOP_MICROSOFT_CLIENT_SECRET,
        issuer: e.CARELOOP_MICROSOFT_ISSUER ?? `https://login.microsoftonline.com/${e.CARELOOP_MICROSOFT_TENANT}/v2.0`,
        imap: e.CARELOOP_MICROSOFT_IMAP_URL,
        smtp: e.CARELOOP_MICROSOFT_SMTP_URL,
      },
    },
  };
}

/** A generated key is kept beside the data so encrypted secrets stay readable across restarts. */
function readOrCreateSecretKey(dataDir: string): string {
  const file = join(dataDir, 'secret.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, key + '\n', { mode: 0o600 });
  return key;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
