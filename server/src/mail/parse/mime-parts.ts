import { Joiner, Splitter } from '@zone-eu/mailsplit';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit/lib/types';
import { once } from 'node:events';
import { Readable, Transform, type TransformCallback } from 'node:stream';

export interface TextPart {
  contentType: 'text/plain' | 'text/html';
  /** The charset label as written, or null when there is none. */
  charset: string | null;
  /** Decoded from its transfer encoding (base64, quoted-printable), still in its charset. */
  bytes: Buffer;
  /** True when the part was longer than the scan keeps and `bytes` is its beginning only. */
  truncated: boolean;
}

export interface PartListing {
  filename: string;
  contentType: string;
  /** Decoded size in bytes. */
  size: number;
  /** The first bytes of the decoded content (enough to tell a placeholder for a body taken out). */
  head: Buffer;
}

export interface MimeScan {
  texts: TextPart[];
  attachments: PartListing[];
  /** How many multipart levels the deepest part sits under. */
  depth: number;
}

/** Far beyond real mail (the MIME parser stops at 1,000 parts); the message size limit bounds the work. */
const SPLITTER_OPTIONS = { ignoreEmbedded: true, maxChildNodes: 100_000 };

/** Bytes kept of the start of each non-text part. */
const HEAD_BYTES = 128;

/** Fed to the splitter in slices, so no step holds more than one slice of a part beyond what it keeps. */
const SLICE = 64 * 1024;

function slices(raw: Buffer): Readable {
  return Readable.from(
    (function* () {
      for (let start = 0; start < raw.length; start += SLICE) yield raw.subarray(start, start + SLICE);
    })(),
    { objectMode: false },
  );
}

function isTextBody(node: MimeNode): node is MimeNode & { contentType: 'text/plain' | 'text/html' } {
  return (node.contentType === 'text/plain' || node.contentType === 'text/html') && node.disposition !== 'attachment' && !node.filename;
}

function depthOf(node: MimeNode): number {
  let depth = 0;
  for (let parent = node.parentNode; parent; parent = parent.parentNode) depth++;
  return depth;
}

/**
 * Walks a message's MIME parts as a stream, without the MIME parser's tree: text parts are decoded from
 * their transfer encoding and kept up to `maxTextBytes` each; every other leaf part is only measured. Used
 * where the full parser gives up (very deep nesting) or must not run (oversized mail).
 */
export async function scanMimeParts(raw: Buffer, maxTextBytes: number): Promise<MimeScan> {
  const scan: MimeScan = { texts: [], attachments: [], depth: 0 };
  let current: { decoder: Transform; done: Promise<unknown> } | null = null;
  const finish = async () => {
    if (!current) return;
    current.decoder.end();
    await current.done;
    current = null;
  };
  const splitter = new Splitter(SPLITTER_OPTIONS);
  slices(raw).pipe(splitter);
  for await (const chunk of splitter as AsyncIterable<SplitterChunk>) {
    if (chunk.type === 'node') {
      await finish();
      scan.depth = Math.max(scan.depth, depthOf(chunk));
      if (chunk.multipart) continue;
      const decoder = chunk.getDecoder();
      if (isTextBody(chunk)) {
        const part: TextPart = { contentType: chunk.contentType, charset: chunk.charset || null, bytes: Buffer.alloc(0), truncated: false };
        const kept: Buffer[] = [];
        let keptBytes = 0;
        decoder.on('data', (data: Buffer) => {
          const room = maxTextBytes - keptBytes;
          if (data.length > room) part.truncated = true;
          if (room > 0) {
            kept.push(data.subarray(0, room));
            keptBytes += Math.min(room, data.length);
          }
        });
        scan.texts.push(part);
        current = { decoder, done: once(decoder, 'end').then(() => (part.bytes = Buffer.concat(kept))) };
      } else {
        const listing: PartListing = { filename: chunk.filename || '', contentType: chunk.contentType || 'application/octet-stream', size: 0, head: Buffer.alloc(0) };
        decoder.on('data', (data: Buffer) => {
          if (listing.head.length < HEAD_BYTES) listing.head = Buffer.concat([listing.head, data.subarray(0, HEAD_BYTES - listing.head.length)]);
          listing.size += data.length;
        });
        scan.attachments.push(listing);
        current = { decoder, done: once(decoder, 'end') };
      }
    } else if (chunk.type === 'body' && current) {
      const { decoder } = current;
      if (!decoder.write(chunk.value)) await once(decoder, 'drain');
    }
  }
  await finish();
  return scan;
}

/**
 * The same message with the charset labels of its text parts replaced, in order (null keeps a label), so
 * the MIME parser decodes each with the charset found for it. Nothing else in the source changes.
 */
export async function relabelTextParts(raw: Buffer, labels: (string | null)[]): Promise<Buffer> {
  let index = 0;
  const relabel = new Transform({
    objectMode: true,
    transform(chunk: SplitterChunk, _encoding, callback: TransformCallback) {
      if (chunk.type === 'node' && !chunk.multipart && isTextBody(chunk)) {
        const label = labels[index++];
        if (label) chunk.setCharset(label);
      }
      callback(null, chunk);
    },
  });
  const joined: Buffer[] = [];
  const joiner = slices(raw).pipe(new Splitter(SPLITTER_OPTIONS)).pipe(relabel).pipe(new Joiner());
  for await (const data of joiner as AsyncIterable<Buffer>) joined.push(data);
  return Buffer.concat(joined);
}
