/** Mailboxes and replies: request schemas and response types shared by server and client. */
import { z } from 'zod';
import { TICKET_STATUSES } from './domain';
import { patchSchema } from './patch';

const host = z.string().trim().min(1).max(255).regex(/^[a-z0-9.-]+$/i, 'must be a host name or IP address');
const port = z.number().int().min(1).max(65535);

export const CreateMailboxSchema = z.object({
  name: z.string().trim().min(1).max(200),
  address: z.email().transform((value) => value.toLowerCase()),
  isActive: z.boolean().default(true),
  imapHost: host,
  imapPort: port.default(993),
  imapTls: z.boolean().default(true),
  imapUser: z.string().min(1).max(320),
  imapPassword: z.string().min(1).max(1024),
  imapFolder: z.string().min(1).max(255).default('INBOX'),
  smtpHost: host,
  smtpPort: port.default(587),
  smtpTls: z.boolean().default(false),
  smtpUser: z.string().min(1).max(320),
  smtpPassword: z.string().min(1).max(1024),
  sentFolder: z.string().min(1).max(255).nullable().default(null),
  plusAddressing: z.boolean().default(false),
  reopenWindowDays: z.number().int().min(0).max(365).default(14),
});
export type CreateMailboxRequest = z.input<typeof CreateMailboxSchema>;
/** Passwords may be left out of an update to keep the stored ones. */
export const UpdateMailboxSchema = patchSchema(CreateMailboxSchema);
export type UpdateMailboxRequest = z.input<typeof UpdateMailboxSchema>;

/** Providers a mailbox can connect to with OAuth2 (XOAUTH2 for IMAP and SMTP) instead of passwords. */
export const OAUTH_PROVIDERS = ['google', 'microsoft'] as const;
export type OAuthProvider = (typeof OAUTH_PROVIDERS)[number];

/** Whether this server can connect mailboxes of a provider, and if not, which variables to set. */
export interface OAuthProviderStatusDto {
  provider: OAuthProvider;
  /** "Google" / "Microsoft 365". */
  label: string;
  configured: boolean;
  /** Environment variables to set before the Connect button works; empty when configured. */
  missing: string[];
  /** The redirect URI to register with the provider. */
  redirectUri: string;
}

/**
 * Starts a provider's consent screen. `address`: the mailbox to connect when it is not the signed-in
 * account (a Microsoft 365 shared mailbox, a Google group's address); `mailboxId`: reconnect that mailbox.
 */
export const StartOAuthSchema = z.object({
  address: z.email().transform((value) => value.toLowerCase()).optional(),
  mailboxId: z.uuid().optional(),
});
export type StartOAuthRequest = z.input<typeof StartOAuthSchema>;

export interface StartOAuthDto {
  /** Where the browser goes next: the provider's sign-in and consent page. */
  authorizationUrl: string;
}

export type MailboxState = 'connecting' | 'connected' | 'error' | 'disabled';

export interface MailboxHealthDto {
  state: MailboxState;
  /** Why it is not connected, in words a person understands. */
  lastError: string | null;
  lastErrorAt: string | null;
  lastSyncAt: string | null;
  /** Seconds since the last successful sync. */
  lagSeconds: number | null;
  /** Messages in the folder at the last sync: importedMessages + skippedRedeliveries + quarantinedMessages. */
  folderMessages: number | null;
  /** Messages of the folder (as numbered now) stored in Careloop. */
  importedMessages: number;
  /** The same message delivered again (same Message-ID and content, or same UID), or a copy of mail Careloop sent. */
  skippedRedeliveries: number;
  /** Messages that could not be stored even raw; they stay in the folder, listed in `quarantine`. */
  quarantinedMessages: number;
  /** Imported messages flagged as unparseable, oversized, bounces or with guessed text. */
  flaggedMessages: number;
  /** The newest quarantined messages: their IMAP UID and why. */
  quarantine: { uid: string; reason: string; at: string }[];
}

/** What leads and care owners need to choose a mailbox (in rules and journeys): no connection settings. */
export interface MailboxOptionDto {
  id: string;
  name: string;
  address: string;
  isActive: boolean;
}

export interface MailboxDto {
  id: string;
  name: string;
  address: string;
  isActive: boolean;
  imapHost: string | null;
  imapPort: number;
  imapTls: boolean;
  imapUser: string | null;
  imapFolder: string;
  smtpHost: string | null;
  smtpPort: number;
  smtpTls: boolean;
  smtpUser: string | null;
  sentFolder: string | null;
  plusAddressing: boolean;
  reopenWindowDays: number;
  /** A demo mailbox: what it sends is kept in the capture outbox, never sent. */
  captureOutbox: boolean;
  /** Set when the mailbox signs in with OAuth2; its tokens are never returned. */
  oauthProvider: OAuthProvider | null;
  /** The account that consented (differs from the address for a shared mailbox). */
  oauthAccount: string | null;
  /** Passwords are never returned; these say whether one is stored. */
  hasImapPassword: boolean;
  hasSmtpPassword: boolean;
  health: MailboxHealthDto;
}

export interface ConnectionCheckDto {
  imap: { ok: boolean; message: string };
  smtp: { ok: boolean; message: string };
}

const address = z.email().transform((value) => value.toLowerCase());
/** Multipart form fields arrive as strings; a list may come as "a@x, b@y" or as repeated fields. */
const addressList = z.preprocess(
  (value) => (typeof value === 'string' ? value.split(',').map((part) => part.trim()).filter(Boolean) : value),
  z.array(address).max(50),
);

export const CreateReplySchema = z.object({
  body: z.string().trim().min(1).max(200_000),
  cc: addressList.default([]),
  /** Status to set as the reply goes out (e.g. pending, solved); default: new tickets become open. */
  status: z.enum(TICKET_STATUSES).optional(),
  /**
   * The newest message the agent saw while writing. A newer customer or agent message makes the reply
   * a 409 `reply_conflict` listing them, unless `confirmNewer` is true.
   */
  afterMessageId: z.uuid().optional(),
  confirmNewer: z.preprocess((value) => (value === 'true' ? true : value === 'false' ? false : value), z.boolean()).default(false),
  /** Macros whose actions apply with this reply, in the same transaction (the composer shows them as pending). */
  macroIds: z.preprocess((value) => (typeof value === 'string' ? value.split(',').filter(Boolean) : value), z.array(z.uuid()).max(10)).default([]),
});
export type CreateReplyRequest = z.input<typeof CreateReplySchema>;

/** An email a demo mailbox kept instead of sending (the demo capture outbox). */
export interface CapturedEmailDto {
  id: string;
  mailboxName: string;
  envelopeFrom: string;
  envelopeTo: string[];
  subject: string;
  /** Every header as written, in order. */
  headers: { name: string; value: string }[];
  bodyText: string;
  size: number;
  capturedAt: string;
}
