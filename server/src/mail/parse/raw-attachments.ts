import { Splitter } from '@zone-eu/mailsplit';
import type { MimeNode, SplitterChunk } from '@zone-eu/mailsplit/lib/types';
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
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

/** A raw source split: `Blob` is the decoded content (in memory) or where it waits (SpooledBlob, large mail). */
export interface SplitSource<Blob = Buffer> {
  /** The raw source without the bodies listed in `cuts`. */
  stored: Buffer;
  cuts: RawCut[];
  /** The decoded contents the cuts refer to, by SHA-256 (hex). */
  blobs: Map<string, Blob>;
}

/** Smaller bodies stay in the source: a cut and a blob lookup cost more than they save. */
const MIN_CUT_BYTES = 2048;
const SLICE = 64 * 1024;

/** The stored source as it is written, and how long it is so far (where a cut goes). */
class StoredBytes {
  private readonly parts: Buffer[] = [];
  length = 0;

  push(bytes: Buffer): void {
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  toBuffer(): Buffer {
    return Buffer.concat(this.parts);
  }
}

/** A leaf part whose body is a file rather than text to read: the part whose body may become a blob. */
function isAttachmentNode(node: MimeNode): boolean {
  return !node.multipart && (node.disposition === 'attachment' || Boolean(node.filename) || !/^(text\/|multipart\/|message\/)/.test(node.contentType || ''));
}

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
  const out = new StoredBytes();
  const push = (bytes: Buffer) => out.push(bytes);
  const cuts: RawCut[] = [];
  const blobs = new Map<string, Buffer>();
  let body: Buffer[] | null = null;
  const endBody = () => {
    if (!body) return;
    const encoded = Buffer.concat(body);
    body = null;
    const found = encoded.length >= MIN_CUT_BYTES ? cutFor(encoded, out.length) : null;
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
        if (isAttachmentNode(chunk) && chunk.encoding === 'base64') body = [];
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
  const stored = out.toBuffer();
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

/** A decoded attachment body waiting in a file until its blob is stored. */
export interface SpooledBlob {
  path: string;
  size: number;
}

/** A source read from a file, split: the cut bodies are decoded into files, never held whole. */
export type SpooledSplit = SplitSource<SpooledBlob>;

/** Longer lines are not base64 any mailer writes (RFC 5322 allows 998 characters). */
const MAX_LINE = 998;
const BASE64_LINE = /^[A-Za-z0-9+/]+$/;
const BASE64_LAST_LINE = /^[A-Za-z0-9+/]*={1,2}$/;

/**
 * One attachment's base64 body as it streams past: decoded into a file and hashed as it comes, and checked
 * line by line to encode back to exactly these bytes (one line length, one kind of line break, canonical
 * base64), which is what `cutFor` checks on a whole body. Holds one line at a time.
 */
class StreamedBody {
  encodedBytes = 0;
  private valid = true;
  private lineLength = 0;
  private crlf: boolean | null = null;
  /** A line shorter than the others, or with padding, was seen: it must have been the last. */
  private ended = false;
  private lines = 0;
  private partial: Buffer[] = [];
  private partialLength = 0;
  /** Checked lines not decoded yet. */
  private pending: string[] = [];
  private carry = '';
  private lastQuantum = '';
  private size = 0;
  private readonly hash = createHash('sha256');
  private file: FileHandle | null = null;

  constructor(
    /** Offset of the encoded body in the source. */
    readonly start: number,
    private readonly path: string,
  ) {}

  async write(bytes: Buffer): Promise<void> {
    this.encodedBytes += bytes.length;
    let position = 0;
    while (this.valid && position < bytes.length) {
      const lineEnd = bytes.indexOf(0x0a, position);
      this.addPartial(bytes.subarray(position, lineEnd === -1 ? bytes.length : lineEnd));
      if (lineEnd === -1) break;
      this.endLine(true);
      position = lineEnd + 1;
    }
    await this.decode();
  }

  /** The cut and its blob, or null when the body must stay in the source (the decoded file is then gone). */
  async finish(): Promise<{ cut: Omit<RawCut, 'at'>; blob: SpooledBlob } | null> {
    const trailingBreak = this.partialLength === 0;
    if (this.valid && !trailingBreak) this.endLine(false);
    await this.decode();
    const canonical = this.lastQuantum !== '' && Buffer.from(this.lastQuantum, 'base64').toString('base64') === this.lastQuantum;
    await this.file?.close();
    if (!this.valid || this.carry !== '' || this.lines === 0 || !canonical) {
      await rm(this.path, { force: true });
      return null;
    }
    return { cut: { sha256: this.hash.digest('hex'), lineLength: this.lineLength, crlf: this.crlf ?? false, trailingBreak }, blob: { path: this.path, size: this.size } };
  }

  private addPartial(bytes: Buffer): void {
    if (bytes.length === 0) return;
    this.partialLength += bytes.length;
    if (this.partialLength > MAX_LINE + 1) this.valid = false;
    else this.partial.push(bytes);
  }

  private endLine(withBreak: boolean): void {
    let line = (this.partial.length === 1 ? this.partial[0] : Buffer.concat(this.partial)).toString('latin1');
    this.partial = [];
    this.partialLength = 0;
    if (withBreak) {
      const crlf = line.endsWith('\r');
      if (crlf) line = line.slice(0, -1);
      if (this.crlf !== null && this.crlf !== crlf) return this.invalid();
      this.crlf = crlf;
    }
    if (this.ended || line.length === 0) return this.invalid();
    if (this.lines === 0) this.lineLength = line.length;
    else if (line.length > this.lineLength) return this.invalid();
    if (line.length < this.lineLength) this.ended = true;
    if (line.includes('=')) {
      if (!BASE64_LAST_LINE.test(line)) return this.invalid();
      this.ended = true;
    } else if (!BASE64_LINE.test(line)) {
      return this.invalid();
    }
    this.lines++;
    this.pending.push(line);
  }

  /** Decodes the lines checked so far (whole 4-character groups) into the file and the hash. */
  private async decode(): Promise<void> {
    if (!this.valid || this.pending.length === 0) return;
    const chars = this.carry + this.pending.join('');
    this.pending = [];
    const whole = chars.length - (chars.length % 4);
    this.carry = chars.slice(whole);
    if (whole === 0) return;
    this.lastQuantum = chars.slice(whole - 4, whole);
    const decoded = Buffer.from(chars.slice(0, whole), 'base64');
    this.hash.update(decoded);
    this.size += decoded.length;
    this.file ??= await open(this.path, 'w');
    await this.file.writeFile(decoded);
  }

  private invalid(): void {
    this.valid = false;
    this.partial = [];
  }
}

async function readRange(file: FileHandle, start: number, length: number): Promise<Buffer> {
  const bytes = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const { bytesRead } = await file.read(bytes, read, length - read, start + read);
    if (bytesRead === 0) break;
    read += bytesRead;
  }
  return bytes.subarray(0, read);
}

/**
 * `splitRawSource` for a source in a file (large mail): streamed through the MIME splitter, so memory holds
 * the stored part of the source and one line of a body, whatever the attachments weigh. Cut bodies are
 * decoded into files in `dir`. Whether the splitter gave back every byte is checked by hashing what went in
 * and what came out; if not, the source is kept whole (read into memory: the rare malformed case).
 */
export async function splitRawFile(path: string, dir: string): Promise<SpooledSplit> {
  const out = new StoredBytes();
  const push = (bytes: Buffer) => out.push(bytes);
  const cuts: RawCut[] = [];
  const blobs = new Map<string, SpooledBlob>();
  const sourceHash = createHash('sha256');
  const emittedHash = createHash('sha256');
  const source = await open(path, 'r');
  let consumed = 0;
  let body: StreamedBody | null = null;
  let parts = 0;
  const endBody = async () => {
    if (!body) return;
    const current = body;
    body = null;
    const found = await current.finish();
    if (found && current.encodedBytes >= MIN_CUT_BYTES) {
      cuts.push({ at: out.length, ...found.cut });
      if (blobs.has(found.cut.sha256)) await rm(found.blob.path, { force: true });
      else blobs.set(found.cut.sha256, found.blob);
    } else {
      if (found) await rm(found.blob.path, { force: true });
      push(await readRange(source, current.start, current.encodedBytes));
    }
  };
  const whole = async (): Promise<SpooledSplit> => {
    await Promise.all([...blobs.values()].map((blob) => rm(blob.path, { force: true })));
    return { stored: await readFile(path), cuts: [], blobs: new Map() };
  };
  try {
    const input = createReadStream(path, { highWaterMark: SLICE });
    input.on('data', (bytes) => sourceHash.update(bytes));
    const splitter = new Splitter({ ignoreEmbedded: true, maxChildNodes: 100_000 });
    input.pipe(splitter);
    for await (const chunk of splitter as AsyncIterable<SplitterChunk>) {
      if (chunk.type === 'node') {
        await endBody();
        const headers = chunk.getHeaders();
        push(headers);
        emittedHash.update(headers);
        consumed += headers.length;
        if (isAttachmentNode(chunk) && chunk.encoding === 'base64') body = new StreamedBody(consumed, join(dir, `part-${++parts}`));
      } else if (chunk.type === 'body' && body) {
        emittedHash.update(chunk.value);
        consumed += chunk.value.length;
        await body.write(chunk.value);
      } else {
        await endBody();
        emittedHash.update(chunk.value);
        consumed += chunk.value.length;
        push(chunk.value);
      }
    }
    await endBody();
  } catch {
    return whole();
  } finally {
    await source.close();
  }
  if (!sourceHash.digest().equals(emittedHash.digest())) return whole();
  return { stored: out.toBuffer(), cuts, blobs };
}

/** A body taken out of a source before parsing: its decoded size and SHA-256 (hex). */
export interface CutPart {
  size: number;
  sha256: string;
}

/**
 * What the MIME parser reads of a split large message: the stored source with a short placeholder as each
 * cut body, and the parts behind the placeholders (by the placeholder's decoded text, unique to this call).
 */
export function withPlaceholders(split: SpooledSplit): { source: Buffer; parts: Map<string, CutPart> } {
  const nonce = randomUUID();
  const parts = new Map<string, CutPart>();
  const pieces: Buffer[] = [];
  let from = 0;
  split.cuts.forEach((cut, index) => {
    const placeholder = `careloop-cut:${nonce}:${index}`;
    parts.set(placeholder, { size: split.blobs.get(cut.sha256)?.size ?? 0, sha256: cut.sha256 });
    const eol = cut.crlf ? '\r\n' : '\n';
    pieces.push(split.stored.subarray(from, cut.at), Buffer.from(Buffer.from(placeholder).toString('base64') + (cut.trailingBreak ? eol : ''), 'latin1'));
    from = cut.at;
  });
  pieces.push(split.stored.subarray(from));
  return { source: Buffer.concat(pieces), parts };
}
