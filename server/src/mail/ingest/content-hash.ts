import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { findBodyOffset } from '../parse/header-scan';

/** Header fields that servers add on the way in: the same mail delivered twice differs only in these. */
const TRACE_FIELD = /^(received|return-path|delivered-to|x-original-to|x-delivered-to|authentication-results|arc-[a-z-]+|received-spf|x-spam-[a-z-]+|x-virus-[a-z-]+)\s*:/i;
/** How much of a spooled source is read to find its header block (no real header block is larger). */
const MAX_HEADER_BLOCK = 1024 * 1024;

/** Hashes the header fields without trace fields, folding and line-ending differences. */
function hashHeaderBlock(hash: Hash, block: Buffer): void {
  const fields: string[] = [];
  // latin1 maps bytes to characters one to one, so no byte of the header block is lost to decoding.
  for (const line of block.toString('latin1').split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += ` ${line.trim()}`;
    else if (line.trim()) fields.push(line.trim());
  }
  hash.update(fields.filter((field) => !TRACE_FIELD.test(field)).join('\n'), 'latin1');
  hash.update('\n\n');
}

/**
 * A fingerprint of what the sender wrote: SHA-256 over the header fields (without trace fields, folding and
 * line-ending differences) and the body bytes. Two deliveries of one message hash alike; a different message
 * that reuses its Message-ID does not.
 */
export function contentHash(raw: Buffer): string {
  const bodyOffset = findBodyOffset(raw);
  const hash = createHash('sha256');
  hashHeaderBlock(hash, raw.subarray(0, bodyOffset));
  hash.update(raw.subarray(bodyOffset));
  return hash.digest('hex');
}

/** `contentHash` of a source in a file, read as a stream. */
export async function contentHashOfFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  const head = Buffer.alloc(MAX_HEADER_BLOCK);
  let bodyOffset: number;
  try {
    const { bytesRead } = await file.read(head, 0, head.length, 0);
    bodyOffset = findBodyOffset(head.subarray(0, bytesRead));
  } finally {
    await file.close();
  }
  const hash = createHash('sha256');
  hashHeaderBlock(hash, head.subarray(0, bodyOffset));
  for await (const bytes of createReadStream(path, { start: bodyOffset })) hash.update(bytes as Buffer);
  return hash.digest('hex');
}
