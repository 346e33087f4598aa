import { simpleParser, type AddressObject, type Attachment, type EmailAddress as ParserAddress, type ParsedMail } from 'mailparser';
import type { MessageFlag } from '../../../../contracts/domain';
import { readBounceReport, stripAngleBrackets } from './bounce-report';
import { decodeText } from './charset';
import { decodeEncodedWords, findBodyOffset, headerParameter, headerValue, scanHeaders, type RawHeader } from './header-scan';
import { relabelTextParts, scanMimeParts, type MimeScan } from './mime-parts';
import type { CutPart } from './raw-attachments';
import { detectNoise } from './noise';
import { HEADERS_OF_INTEREST, type EmailAddress, type EmailAttachment, type ParsedEmail } from './parsed-email';
import { splitQuotedText } from './quoted-text';
import { sanitizeEmailHtml } from './sanitize-email-html';

/** Larger than any provider lets through (Gmail: 25 MB of attachments, about 34 MB encoded). */
export const DEFAULT_MAX_EMAIL_BYTES = 40 * 1024 * 1024;

export interface ParseEmailOptions {
  /** Messages above this size keep their headers and text only (no attachments), flagged 'oversized'. */
  maxBytes?: number;
  /**
   * For a large message parsed without its attachment bodies (see withPlaceholders): its size as received,
   * and the bodies taken out, by the placeholder that stands in `raw` for each.
   */
  cut?: { sourceBytes: number; parts: Map<string, CutPart> };
}

/** Placeholders are short: longer content is never one. */
const MAX_PLACEHOLDER_BYTES = 128;

function cutPartOf(content: Buffer, opts: ParseEmailOptions): CutPart | undefined {
  return opts.cut && content.length <= MAX_PLACEHOLDER_BYTES ? opts.cut.parts.get(content.toString('latin1')) : undefined;
}

/** Text kept from each text part of a message the full parser does not handle (oversized, or too deeply nested). */
const MAX_RECOVERED_TEXT_BYTES = 1024 * 1024;
const NUL_NOTE = 'NUL characters were removed from its text; the raw source keeps them.';
/** U+FFFD: what a decoder writes for bytes that are not in the charset it was told. */
const REPLACEMENT = '\uFFFD';

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
 * comes back flagged with whatever its headers reveal and, in `notes`, what happened in words, so it is
 * shown to an agent, not lost. Every string it returns can be stored in PostgreSQL (no NUL characters).
 */
export async function parseEmail(raw: Buffer, opts: ParseEmailOptions = {}): Promise<ParsedEmail> {
  return storable(await parseUnchecked(raw, opts));
}

async function parseUnchecked(raw: Buffer, opts: ParseEmailOptions): Promise<ParsedEmail> {
  const rawHeaders = scanHeaders(raw);
  if ((opts.cut?.sourceBytes ?? raw.length) > (opts.maxBytes ?? DEFAULT_MAX_EMAIL_BYTES)) return parseOversized(raw, rawHeaders, opts);
  if (!rawHeaders.some((header) => MESSAGE_HEADERS.has(header.name))) return headerless(raw);
  const structureProblem = findStructureProblem(raw, rawHeaders);
  if (structureProblem) return unparsable(raw, rawHeaders, structureProblem);
  let parsed: ParsedEmail;
  try {
    parsed = fromParsedMail(await simpleParser(raw, PARSER_OPTIONS), rawHeaders, opts);
  } catch (error) {
    return unparsable(raw, rawHeaders, `The message could not be parsed: ${describe(error)}`);
  }
  if ([parsed.subject, parsed.from?.name, parsed.text, parsed.html].some((value) => value?.includes(REPLACEMENT))) {
    parsed = await withDetectedCharsets(raw, rawHeaders, parsed, opts);
  }
  if (!parsed.text.trim() && !parsed.html) parsed = await withRecoveredText(raw, parsed);
  return parsed;
}

/**
 * Text in a charset that is missing, unknown or wrong came out with U+FFFD: find each text part's charset
 * (a detector, falling back to windows-1252), parse again with those labels, and say what was guessed.
 */
async function withDetectedCharsets(raw: Buffer, rawHeaders: RawHeader[], parsed: ParsedEmail, opts: ParseEmailOptions): Promise<ParsedEmail> {
  const guesses: string[] = [];
  let result = parsed;
  const scan = await scanMimeParts(raw, raw.length);
  const decoded = scan.texts.map((part) => decodeText(part.bytes, part.charset));
  const labels = decoded.map((part) => part.guessed);
  if (labels.some(Boolean)) {
    try {
      result = fromParsedMail(await simpleParser(await relabelTextParts(raw, labels), PARSER_OPTIONS), rawHeaders, opts);
      guesses.push(...labels.filter((label): label is string => label !== null));
    } catch {
      // The first parse stands; the flag below still says the text may be garbled.
    }
  }
  if (decoded.some((part) => part.droppedNulMarkers)) {
    // The parser decoded the server's NUL stand-ins as U+FFFD: they go, as the NULs themselves would.
    const drop = (text: string) => text.replaceAll(REPLACEMENT, '');
    result = { ...result, text: drop(result.text), html: result.html && drop(result.html), visibleText: drop(result.visibleText), quotedText: drop(result.quotedText), notes: [...result.notes, NUL_NOTE] };
  }
  const headerCharset = decodeText(raw.subarray(0, findBodyOffset(raw)), null).guessed;
  if (headerCharset) {
    // Raw 8-bit header bytes: the header scan decoded them with the detected charset.
    const subject = decodeEncodedWords(headerValue(rawHeaders, 'subject') ?? '');
    const from = scanAddress(headerValue(rawHeaders, 'from') ?? '');
    result = { ...result, subject: result.subject.includes(REPLACEMENT) ? subject : result.subject, from: result.from && from && result.from.name.includes(REPLACEMENT) ? { ...result.from, name: from.name } : result.from };
    guesses.push(headerCharset);
  }
  if (guesses.length === 0) return result;
  const charsets = [...new Set(guesses)].join(', ');
  return {
    ...result,
    flags: [...result.flags, 'charset_guessed'],
    notes: [...result.notes, `Some text had no usable character set label; it was read as ${charsets}. The raw source keeps the original bytes.`],
  };
}

/** The parser gave no text (it gives up on very deep nesting): read the text parts from the raw source. */
async function withRecoveredText(raw: Buffer, parsed: ParsedEmail): Promise<ParsedEmail> {
  let scan: MimeScan;
  try {
    scan = await scanMimeParts(raw, MAX_RECOVERED_TEXT_BYTES);
  } catch {
    return parsed;
  }
  const recovered = recoveredText(scan);
  if (!recovered.text.trim()) return parsed;
  const why =
    scan.depth > MAX_PARSED_DEPTH
      ? `Its MIME parts are nested ${scan.depth} levels deep and the parser gave up on them`
      : 'The MIME parser found no text in it';
  return {
    ...parsed,
    ...recovered,
    ...splitQuotedText(recovered.text),
    flags: [...parsed.flags, 'text_recovered'],
    notes: [...parsed.notes, `${why}; the text shown was read straight from the raw source.`],
  };
}

/** Nesting beyond this is not real mail: the MIME parser stops at about 1,000 parts. */
const MAX_PARSED_DEPTH = 100;

/** The text/plain parts (or, without any, the HTML ones) of a scan, decoded. */
function recoveredText(scan: MimeScan): { text: string; html: string | null } {
  const plain = scan.texts.filter((part) => part.contentType === 'text/plain');
  const html = scan.texts.filter((part) => part.contentType === 'text/html');
  const decode = (parts: MimeScan['texts']) => parts.map((part) => decodeText(part.bytes, part.charset).text).join('\n\n');
  if (plain.length) return { text: normaliseLineBreaks(decode(plain)), html: html.length ? sanitizeEmailHtml(decode(html)) : null };
  if (html.length) {
    const sanitized = sanitizeEmailHtml(decode(html));
    return { text: sanitized.replace(/<[^>]*>/g, ' ').replace(/[ \t]+/g, ' ').trim(), html: sanitized };
  }
  return { text: '', html: null };
}

/**
 * Over the size limit: the headers and the text are kept (streamed, at most MAX_RECOVERED_TEXT_BYTES per
 * part), attachments are listed by name and size only; the raw source keeps everything.
 */
async function parseOversized(raw: Buffer, rawHeaders: RawHeader[], opts: ParseEmailOptions): Promise<ParsedEmail> {
  const headerBlock = raw.subarray(0, findBodyOffset(raw));
  let parsed: ParsedEmail;
  try {
    parsed = fromParsedMail(await simpleParser(headerBlock, PARSER_OPTIONS), rawHeaders, opts);
  } catch (error) {
    parsed = unparsable(headerBlock, rawHeaders, `The headers could not be parsed: ${describe(error)}`);
  }
  const kept: string[] = [];
  const listed: string[] = [];
  let text = { text: '', html: null as string | null };
  try {
    const scan = await scanMimeParts(raw, MAX_RECOVERED_TEXT_BYTES);
    text = recoveredText(scan);
    if (text.text.trim()) kept.push(scan.texts.some((part) => part.truncated) ? 'the beginning of its text (1 MB)' : 'its text');
    listed.push(...scan.attachments.map((attachment, index) => `${attachment.filename || `attachment-${index + 1}`} (${formatMegabytes(cutPartOf(attachment.head, opts)?.size ?? attachment.size)})`));
  } catch (error) {
    kept.push(`no text (${describe(error)})`);
  }
  const note = [
    `This message is ${formatMegabytes(opts.cut?.sourceBytes ?? raw.length)}, over the ${formatMegabytes(opts.maxBytes ?? DEFAULT_MAX_EMAIL_BYTES)} limit (CARELOOP_MAX_EMAIL_MB).`,
    `Kept ${[...kept, 'its headers', 'the raw source (download it for everything else)'].join(', ')}.`,
    listed.length ? `Attachments not imported: ${listed.join(', ')}.` : '',
  ].filter(Boolean);
  return {
    ...parsed,
    ...text,
    ...splitQuotedText(text.text),
    attachments: [],
    flags: ['oversized', ...parsed.flags.filter((flag) => flag !== 'oversized')],
    notes: [...parsed.notes, note.join(' ')],
  };
}

function formatMegabytes(bytes: number): string {
  const megabytes = bytes / (1024 * 1024);
  return megabytes >= 1 ? `${megabytes.toFixed(megabytes >= 10 ? 0 : 1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function fromParsedMail(mail: ParsedMail, rawHeaders: RawHeader[], opts: ParseEmailOptions): ParsedEmail {
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
    attachments: mail.attachments.map((attachment, index) => toAttachment(attachment, index, html, cutPartOf(attachment.content, opts))),
    headers: headersOfInterest(rawHeaders),
    flags,
    notes: [],
  };
  if (flags.includes('bounce')) result.bounce = readBounceReport(mail.attachments, text, rawHeaders);
  return result;
}

function unparsable(raw: Buffer, rawHeaders: RawHeader[], error: string): ParsedEmail {
  const fromHeader = headerValue(rawHeaders, 'from');
  const text = readableText(raw.subarray(findBodyOffset(raw)));
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
    notes: [error],
  };
}

/** No header block at all (not one known header field): the whole source is the text. */
function headerless(raw: Buffer): ParsedEmail {
  const text = readableText(raw);
  return {
    ...unparsable(raw, [], ''),
    text,
    visibleText: text.trim(),
    flags: ['no_headers'],
    notes: ['It has no header block (no sender, subject or date): the whole message is shown as its text.'],
  };
}

/** Bytes shown to the agent as text: decoded by detection, without control characters that would garble the view. */
function readableText(bytes: Buffer): string {
  return normaliseLineBreaks(decodeText(bytes, null).text).replace(/(?![\n\t])\p{Cc}/gu, '');
}

/**
 * PostgreSQL refuses NUL in text and jsonb: strip it from every string (the raw source keeps the bytes) and
 * say so, once.
 */
function storable(email: ParsedEmail): ParsedEmail {
  let stripped = false;
  const clean = <T>(value: T): T => {
    if (typeof value === 'string') {
      if (!value.includes('\u0000')) return value;
      stripped = true;
      return value.replaceAll('\u0000', '') as T;
    }
    if (Buffer.isBuffer(value) || value instanceof Date || value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) return value.map(clean) as T;
    return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, clean(entry)])) as T;
  };
  const result = clean(email);
  return stripped && !result.notes.includes(NUL_NOTE) ? { ...result, notes: [...result.notes, NUL_NOTE] } : result;
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

function toAttachment(attachment: Attachment, index: number, html: string | null, cut: CutPart | undefined): EmailAttachment {
  const contentId = attachment.cid ?? null;
  return {
    filename: attachment.filename ?? fallbackFilename(attachment, index),
    contentType: attachment.contentType,
    size: cut?.size ?? attachment.size,
    contentId,
    // Only parts the HTML actually shows count as inline; any other part must stay downloadable or it is lost.
    inline: contentId !== null && html !== null && html.includes(`cid:${contentId}`),
    ...(cut ? { content: Buffer.alloc(0), contentSha256: cut.sha256 } : { content: attachment.content }),
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
