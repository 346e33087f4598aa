import { simpleParser, type AddressObject, type Attachment, type EmailAddress as ParserAddress, type ParsedMail } from 'mailparser';
import type { MessageFlag } from '../../../../contracts/domain';
import { readBounceReport, stripAngleBrackets } from './bounce-report';
import { decodeEncodedWords, findBodyOffset, headerParameter, headerValue, scanHeaders, type RawHeader } from './header-scan';
import { detectNoise } from './noise';
import { HEADERS_OF_INTEREST, type EmailAddress, type EmailAttachment, type ParsedEmail } from './parsed-email';
import { splitQuotedText } from './quoted-text';
import { sanitizeEmailHtml } from './sanitize-email-html';

/** Larger than any provider lets through (Gmail: 25 MB of attachments, about 34 MB encoded). */
export const DEFAULT_MAX_EMAIL_BYTES = 40 * 1024 * 1024;

export interface ParseEmailOptions {
  /** Messages above this size keep their headers only, flagged 'oversized'. */
  maxBytes?: number;
}

/** At least one of these opens every real message; binary junk can look like a stray "x: y" line, not like these. */
const MESSAGE_HEADERS = new Set(['from', 'to', 'subject', 'date', 'message-id', 'received', 'mime-version', 'content-type', 'return-path']);

const PARSER_OPTIONS = {
  // Keep cid: references: the server rewrites them to attachment URLs instead of inlining data: URIs.
  keepCidLinks: true,
  // Keep delivery-status parts as attachments so bounce details can be read from them.
  keepDeliveryStatus: true,
  skipTextToHtml: true,
  skipTextLinks: true,
};

/**
 * Turns raw RFC 5322 bytes into what the helpdesk stores. Never throws: a message that cannot be parsed
 * comes back flagged 'parse_error' with whatever its headers reveal, so it is shown to an agent, not lost.
 */
export async function parseEmail(raw: Buffer, opts: ParseEmailOptions = {}): Promise<ParsedEmail> {
  const rawHeaders = scanHeaders(raw);
  if (raw.length > (opts.maxBytes ?? DEFAULT_MAX_EMAIL_BYTES)) return parseOversized(raw, rawHeaders);
  if (!rawHeaders.some((header) => MESSAGE_HEADERS.has(header.name))) {
    return unparsable(raw, rawHeaders, 'No email header fields found: this is not an email message');
  }
  const structureProblem = findStructureProblem(raw, rawHeaders);
  if (structureProblem) return unparsable(raw, rawHeaders, structureProblem);
  try {
    return fromParsedMail(await simpleParser(raw, PARSER_OPTIONS), rawHeaders);
  } catch (error) {
    return unparsable(raw, rawHeaders, `The message could not be parsed: ${describe(error)}`);
  }
}

/** Headers only: the body is neither decoded nor kept in memory twice. */
async function parseOversized(raw: Buffer, rawHeaders: RawHeader[]): Promise<ParsedEmail> {
  const headerBlock = raw.subarray(0, findBodyOffset(raw));
  try {
    const parsed = fromParsedMail(await simpleParser(headerBlock, PARSER_OPTIONS), rawHeaders);
    return { ...parsed, text: '', html: null, visibleText: '', quotedText: '', attachments: [], flags: ['oversized', ...parsed.flags] };
  } catch (error) {
    const headersOnly = unparsable(headerBlock, rawHeaders, `The headers could not be parsed: ${describe(error)}`);
    return { ...headersOnly, flags: ['oversized', 'parse_error'] };
  }
}

function fromParsedMail(mail: ParsedMail, rawHeaders: RawHeader[]): ParsedEmail {
  const from = addresses(mail.from)[0] ?? null;
  const subject = mail.subject ?? '';
  const text = normaliseLineBreaks(mail.text ?? '');
  const html = mail.html ? sanitizeEmailHtml(mail.html) : null;
  const flags = detectNoise(rawHeaders, from?.address ?? null, subject);
  const result: ParsedEmail = {
    messageId: stripAngleBrackets(mail.messageId ?? null),
    inReplyTo: messageIds(mail.inReplyTo)[0] ?? null,
    references: messageIds(mail.references),
    subject,
    from,
    replyTo: addresses(mail.replyTo)[0] ?? null,
    to: addresses(mail.to),
    cc: addresses(mail.cc),
    date: parseDate(headerValue(rawHeaders, 'date')),
    text,
    html,
    ...splitQuotedText(text),
    attachments: mail.attachments.map((attachment, index) => toAttachment(attachment, index, html)),
    headers: headersOfInterest(rawHeaders),
    flags,
  };
  if (flags.includes('bounce')) result.bounce = readBounceReport(mail.attachments, text, rawHeaders);
  return result;
}

function unparsable(raw: Buffer, rawHeaders: RawHeader[], error: string): ParsedEmail {
  const fromHeader = headerValue(rawHeaders, 'from');
  // Keep the body readable for the agent: control characters from binary junk would only garble the view.
  const text = normaliseLineBreaks(raw.subarray(findBodyOffset(raw)).toString('utf8')).replace(/(?![\n\t])\p{Cc}/gu, '');
  return {
    messageId: stripAngleBrackets(headerValue(rawHeaders, 'message-id') ?? null),
    inReplyTo: messageIds(headerValue(rawHeaders, 'in-reply-to'))[0] ?? null,
    references: messageIds(headerValue(rawHeaders, 'references')),
    subject: decodeEncodedWords(headerValue(rawHeaders, 'subject') ?? ''),
    from: fromHeader ? scanAddress(fromHeader) : null,
    replyTo: null,
    to: [],
    cc: [],
    date: parseDate(headerValue(rawHeaders, 'date')),
    text,
    html: null,
    visibleText: text.trim(),
    quotedText: '',
    attachments: [],
    headers: headersOfInterest(rawHeaders),
    flags: ['parse_error'] satisfies MessageFlag[],
    error,
  };
}

/** mailparser silently drops the body of a multipart message whose boundary is missing or never used. */
function findStructureProblem(raw: Buffer, rawHeaders: RawHeader[]): string | null {
  const contentType = headerValue(rawHeaders, 'content-type') ?? '';
  if (!/^\s*multipart\//i.test(contentType)) return null;
  const boundary = headerParameter(contentType, 'boundary');
  if (!boundary) return 'Broken MIME structure: a multipart message without a boundary';
  if (raw.indexOf(`--${boundary}`, findBodyOffset(raw)) === -1) {
    return 'Broken MIME structure: the multipart boundary never appears in the body';
  }
  return null;
}

function toAttachment(attachment: Attachment, index: number, html: string | null): EmailAttachment {
  const contentId = attachment.cid ?? null;
  return {
    filename: attachment.filename ?? fallbackFilename(attachment, index),
    contentType: attachment.contentType,
    size: attachment.size,
    contentId,
    // Only parts the HTML actually shows count as inline; any other part must stay downloadable or it is lost.
    inline: contentId !== null && html !== null && html.includes(`cid:${contentId}`),
    content: attachment.content,
  };
}

function fallbackFilename(attachment: Attachment, index: number): string {
  if (attachment.contentType === 'message/rfc822') {
    const subject = headerValue(scanHeaders(attachment.content), 'subject');
    const base = decodeEncodedWords(subject ?? '').replace(/[\\/:*?"<>|\p{Cc}\s]+/gu, ' ').trim().slice(0, 100);
    return `${base || 'message'}.eml`;
  }
  if (attachment.contentType === 'message/delivery-status') return 'delivery-status.txt';
  if (/rfc822-headers$/.test(attachment.contentType)) return 'original-headers.txt';
  return `attachment-${index + 1}`;
}

function addresses(field: AddressObject | AddressObject[] | undefined): EmailAddress[] {
  const flatten = (list: ParserAddress[]): EmailAddress[] =>
    list.flatMap((entry) => (entry.group ? flatten(entry.group) : entry.address ? [{ address: entry.address, name: entry.name }] : []));
  return [field ?? []].flat().flatMap((object) => flatten(object.value));
}

/** Message-IDs from In-Reply-To/References, in order, without brackets (some clients omit the brackets). */
function messageIds(value: string | string[] | undefined): string[] {
  const ids = [value ?? []].flat().flatMap((entry) => entry.match(/<[^<>]+>|[^\s<>,]+/g) ?? []);
  return ids.map((id) => stripAngleBrackets(id)).filter((id): id is string => id !== null);
}

function scanAddress(header: string): EmailAddress | null {
  const decoded = decodeEncodedWords(header);
  const angle = /^(.*)<([^<>\s]+@[^<>\s]+)>/.exec(decoded);
  if (angle) return { address: angle[2], name: angle[1].trim().replace(/^"|"$/g, '') };
  const bare = /[^\s<>"',;:]+@[^\s<>"',;]+/.exec(decoded);
  return bare ? { address: bare[0], name: '' } : null;
}

function headersOfInterest(rawHeaders: RawHeader[]): ParsedEmail['headers'] {
  const picked: ParsedEmail['headers'] = {};
  for (const name of HEADERS_OF_INTEREST) {
    const value = headerValue(rawHeaders, name);
    if (value !== undefined) picked[name] = value;
  }
  return picked;
}

function parseDate(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value.replace(/\([^)]*\)/g, '').trim());
  return Number.isNaN(date.getTime()) ? null : date;
}

function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
