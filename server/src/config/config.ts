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
  CARELOOP_PUBLIC_URL: z.url().optional(),
});

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
  /** Where people reach Careloop, for links in its own emails; unset: the address the admin's browser used (invitations) or localhost. */
  publicUrl: string | undefined;
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
    publicUrl: e.CARELOOP_PUBLIC_URL?.replace(/\/+$/, ''),
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
