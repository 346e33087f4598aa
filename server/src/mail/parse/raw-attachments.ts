import { Splitter } from '@zone-eu/mailsplit';
import type { SplitterChunk } from '@zone-eu/mailsplit/lib/types';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

/**
 * Where an attachment's base64 body was cut out of a stored raw source, and how to write it back byte for
 * byte from the attachment blob (its decoded content, stored once by SHA-256).
 */
export interface RawCut {
  /** Offset in the stored (cut) source where the body goes back. */
  at: number;
  /** SHA-256 of the decoded content, hex. */
  sha256: string;
  /** Characters per base64 line. */
  lineLength: number;
  crlf: boolean;
  /** Whether the body ended with a line break before the next boundary. */
  trailingBreak: boolean;
}

export interface SplitSource {
  /** The raw source without the bodies listed in `cuts`. */
  stored: Buffer;
  cuts: RawCut[];
  /** The decoded contents the cuts refer to, by SHA-256 (hex). */
  blobs: Map<string, Buffer>;
}

/** Smaller bodies stay in the source: a cut and a blob lookup cost more than they save. */
const MIN_CUT_BYTES = 2048;
const SLICE = 64 * 1024;

export function sha256(content: Buffer): Buffer {
  return createHash('sha256').update(content).digest();
}

function encodeBody(content: Buffer, cut: Pick<RawCut, 'lineLength' | 'crlf' | 'trailingBreak'>): Buffer {
  const base64 = content.toString('base64');
  const lines: string[] = [];
  for (let start = 0; start < base64.length; start += cut.lineLength) lines.push(base64.slice(start, start + cut.lineLength));
  const eol = cut.crlf ? '\r\n' : '\n';
  return Buffer.from(lines.join(eol) + (cut.trailingBreak ? eol : ''), 'latin1');
}

/** The cut for a base64 body, when writing its decoded content back gives exactly these bytes; null otherwise. */
function cutFor(encoded: Buffer, at: number): { cut: RawCut; content: Buffer } | null {
  const firstBreak = encoded.indexOf(0x0a);
  const crlf = firstBreak > 0 && encoded[firstBreak - 1] === 0x0d;
  const lineLength = firstBreak < 0 ? encoded.length : firstBreak - (crlf ? 1 : 0);
  const trailingBreak = encoded[encoded.length - 1] === 0x0a;
  if (lineLength <= 0) return null;
  const content = Buffer.from(encoded.toString('latin1'), 'base64');
  const cut = { at, sha256: sha256(content).toString('hex'), lineLength, crlf, trailingBreak };
  return encodeBody(content, cut).equals(encoded) ? { cut, content } : null;
}

/**
 * Takes the base64 bodies of a message's attachment parts out of its raw source: the attachments are stored
 * once, as content-addressed blobs, and `joinRawSource` gives the exact original back. A body is only cut
 * when its decoded content encodes back to the very same bytes (line length, line breaks); anything else,
 * and any message the MIME splitter would not give back byte for byte, stays in the source as it came.
 */
export async function splitRawSource(raw: Buffer): Promise<SplitSource> {
  const whole: SplitSource = { stored: raw, cuts: [], blobs: new Map() };
  const out: Buffer[] = [];
  let outLength = 0;
  const push = (bytes: Buffer) => {
    out.push(bytes);
    outLength += bytes.length;
  };
  const cuts: RawCut[] = [];
  const blobs = new Map<string, Buffer>();
  let body: Buffer[] | null = null;
  const endBody = () => {
    if (!body) return;
    const encoded = Buffer.concat(body);
    body = null;
    const found = encoded.length >= MIN_CUT_BYTES ? cutFor(encoded, outLength) : null;
    if (!found) return push(encoded);
    cuts.push(found.cut);
    blobs.set(found.cut.sha256, found.content);
  };
  try {
    const splitter = new Splitter({ ignoreEmbedded: true, maxChildNodes: 100_000 });
    Readable.from(
      (function* () {
        for (let start = 0; start < raw.length; start += SLICE) yield raw.subarray(start, start + SLICE);
      })(),
      { objectMode: false },
    ).pipe(splitter);
    for await (const chunk of splitter as AsyncIterable<SplitterChunk>) {
      if (chunk.type === 'node') {
        endBody();
        push(chunk.getHeaders());
        const attachment = !chunk.multipart && (chunk.disposition === 'attachment' || Boolean(chunk.filename) || !/^(text\/|multipart\/|message\/)/.test(chunk.contentType || ''));
        if (attachment && chunk.encoding === 'base64') body = [];
      } else if (chunk.type === 'body' && body) {
        body.push(chunk.value);
      } else {
        endBody();
        push(chunk.value);
      }
    }
    endBody();
  } catch {
    return whole;
  }
  if (cuts.length === 0) return whole;
  const stored = Buffer.concat(out);
  // The splitter must give back exactly what it was handed; if not, keep the source whole.
  if (!joinRawSource(stored, cuts, blobs)?.equals(raw)) return whole;
  return { stored, cuts, blobs };
}

/** The original raw source from a stored one and its cuts; null when a blob is missing. */
export function joinRawSource(stored: Buffer, cuts: RawCut[], blobs: Map<string, Buffer>): Buffer | null {
  const parts: Buffer[] = [];
  let from = 0;
  for (const cut of cuts) {
    const content = blobs.get(cut.sha256);
    if (!content) return null;
    parts.push(stored.subarray(from, cut.at), encodeBody(content, cut));
    from = cut.at;
  }
  parts.push(stored.subarray(from));
  return Buffer.concat(parts);
}
