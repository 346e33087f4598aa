import { createHash } from 'node:crypto';
import { findBodyOffset } from '../parse/header-scan';

/** Header fields that servers add on the way in: the same mail delivered twice differs only in these. */
const TRACE_FIELD = /^(received|return-path|delivered-to|x-original-to|x-delivered-to|authentication-results|arc-[a-z-]+|received-spf|x-spam-[a-z-]+|x-virus-[a-z-]+)\s*:/i;

/**
 * A fingerprint of what the sender wrote: SHA-256 over the header fields (without trace fields, folding and
 * line-ending differences) and the body bytes. Two deliveries of one message hash alike; a different message
 * that reuses its Message-ID does not.
 */
export function contentHash(raw: Buffer): string {
  const bodyOffset = findBodyOffset(raw);
  const fields: string[] = [];
  // latin1 maps bytes to characters one to one, so no byte of the header block is lost to decoding.
  for (const line of raw.subarray(0, bodyOffset).toString('latin1').split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length) fields[fields.length - 1] += ` ${line.trim()}`;
    else if (line.trim()) fields.push(line.trim());
  }
  const hash = createHash('sha256');
  hash.update(fields.filter((field) => !TRACE_FIELD.test(field)).join('\n'), 'latin1');
  hash.update('\n\n');
  hash.update(raw.subarray(bodyOffset));
  return hash.digest('hex');
}
