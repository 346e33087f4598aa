import { createHmac, timingSafeEqual } from 'node:crypto';

/** GitHub-style: `X-Careloop-Signature: sha256=<hex HMAC-SHA256 of the raw request body>`. */
export const SIGNATURE_HEADER = 'x-careloop-signature';

export function signPayload(secret: string, body: Buffer | string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/** A request is authentic when its body carries a valid signature, or, for senders that cannot sign, the secret as bearer token. */
export function isAuthentic(secret: string, request: { rawBody: Buffer | undefined; signature: string | undefined; bearer: string | null }): boolean {
  if (request.signature !== undefined) return request.rawBody !== undefined && sameText(signPayload(secret, request.rawBody), request.signature.trim().toLowerCase());
  return request.bearer !== null && sameText(secret, request.bearer);
}
