import type { MessageFlag } from '../../../../contracts/domain';

export interface EmailAddress {
  address: string;
  /** Display name as written by the sender; empty when there is none. */
  name: string;
}

export interface EmailAttachment {
  filename: string;
  contentType: string;
  size: number;
  /** Content-ID without angle brackets, so `cid:` references in the HTML can be matched to it. */
  contentId: string | null;
  /** True for parts shown inside the body (e.g. images referenced by `cid:`), not offered as downloads. */
  inline: boolean;
  /** The bytes; empty when the body was taken out before parsing (a large message) and `contentSha256` names it. */
  content: Buffer;
  /** SHA-256 (hex) of the body taken out before parsing: its blob is stored from the spool. */
  contentSha256?: string;
}

/** What a delivery status notification says about the message that could not be delivered. */
export interface BounceReport {
  originalMessageId: string | null;
  recipient?: string;
  status?: string;
  diagnostic?: string;
}

/** Header fields kept because ingestion, threading or noise detection read them later. */
export const HEADERS_OF_INTEREST = [
  'auto-submitted',
  'precedence',
  'list-id',
  'list-unsubscribe',
  'x-autoreply',
  'x-autorespond',
  'x-auto-response-suppress',
  'x-ms-exchange-generated-message-source',
  'x-failed-recipients',
  'return-path',
  'delivered-to',
  'content-type',
] as const;
export type HeaderOfInterest = (typeof HEADERS_OF_INTEREST)[number];

export interface ParsedEmail {
  /** Message-ID without angle brackets. */
  messageId: string | null;
  inReplyTo: string | null;
  /** References in header order (oldest first), without angle brackets. */
  references: string[];
  subject: string;
  from: EmailAddress | null;
  replyTo: EmailAddress | null;
  to: EmailAddress[];
  cc: EmailAddress[];
  date: Date | null;
  /** The whole plain text, derived from the HTML when the message has no text part. */
  text: string;
  /** Sanitised HTML (see sanitizeEmailHtml), or null when the message has no HTML part. */
  html: string | null;
  /** The new content of the message: `text` without quoted history and signature. */
  visibleText: string;
  /** Quoted history and signature cut from `text`; empty when there is none. */
  quotedText: string;
  attachments: EmailAttachment[];
  /** Unfolded raw values of HEADERS_OF_INTEREST (the first occurrence of each). */
  headers: Partial<Record<HeaderOfInterest, string>>;
  flags: MessageFlag[];
  bounce?: BounceReport;
  /** What was unusual about the message and what Careloop did about it, in words for the agent. */
  notes: string[];
}
