import { decodeText } from './charset';

/** A header field as written: lower-case name, value unfolded (line breaks removed) and trimmed. */
export interface RawHeader {
  name: string;
  value: string;
}

const FIELD_LINE = /^([!-9;-~]+)[ \t]*:(.*)$/;
const ENCODED_WORD = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;

/** Where the header block ends and the body starts (after the first empty line); raw.length when no body. */
export function findBodyOffset(raw: Buffer): number {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  if (crlf === -1 && lf === -1) return raw.length;
  if (lf === -1 || (crlf !== -1 && crlf < lf)) return crlf + 4;
  return lf + 2;
}

/**
 * Reads the top header block without trusting it: malformed lines are skipped rather than fatal, so even
 * a message that no MIME parser accepts still yields whatever subject and sender it has.
 */
export function scanHeaders(raw: Buffer): RawHeader[] {
  const block = decodeHeaderBytes(raw.subarray(0, findBodyOffset(raw)));
  const headers: RawHeader[] = [];
  let current: RawHeader | null = null;
  for (const line of block.split(/\r?\n/)) {
    if (line === '') break;
    if (/^[ \t]/.test(line)) {
      if (current) current.value = `${current.value} ${line.trim()}`;
      continue;
    }
    const field = FIELD_LINE.exec(line);
    current = field ? { name: field[1].toLowerCase(), value: field[2].trim() } : null;
    if (current) headers.push(current);
  }
  return headers;
}

/** The first value of a header field, or undefined. */
export function headerValue(headers: RawHeader[], name: string): string | undefined {
  return headers.find((header) => header.name === name)?.value;
}

/** Reads a Content-Type style parameter such as `boundary` or `report-type`. */
export function headerParameter(value: string, parameter: string): string | undefined {
  const match = new RegExp(`;\\s*${parameter}\\s*=\\s*(?:"([^"]*)"|([^\\s;]+))`, 'i').exec(value);
  return match ? (match[1] ?? match[2]) : undefined;
}

/** Decodes RFC 2047 encoded words (`=?charset?B|Q?...?=`); words in unknown charsets are left as written. */
export function decodeEncodedWords(value: string): string {
  const joined = value.replace(/(\?=)\s+(=\?)/g, '$1$2');
  return joined.replace(ENCODED_WORD, (word, charset: string, encoding: string, text: string) => {
    const bytes =
      encoding.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64')
        : Buffer.from(
            text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
            'latin1',
          );
    try {
      return new TextDecoder(charset.split('*')[0]).decode(bytes);
    } catch {
      return word;
    }
  });
}

/** Raw 8-bit headers are UTF-8 in modern mail (RFC 6532); anything else goes to the charset detector. */
function decodeHeaderBytes(bytes: Buffer): string {
  return decodeText(bytes, null).text;
}
