import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * `X-Careloop-Timestamp: <unix seconds>` and `X-Careloop-Signature: sha256=<hex HMAC-SHA256 of "<timestamp>.<raw body>">`
 * (as Stripe and Slack do): a captured request cannot be replayed after the tolerance window.
 */
export const SIGNATURE_HEADER = 'x-careloop-signature';
export const TIMESTAMP_HEADER = 'x-careloop-timestamp';
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
/**
 * The first form signed the body alone (no timestamp). It is still accepted until this date so senders can
 * move over (README: "Subscriber data"); after it, only timestamped signatures count.
 */
export const UNTIMED_SIGNATURES_UNTIL = new Date('2027-07-01T00:00:00Z');

/** The signature of a body; with a timestamp (the current form) over `timestamp.body`. */
export function signPayload(secret: string, body: Buffer | string, timestamp?: number): string {
  const hmac = createHmac('sha256', secret);
  if (timestamp !== undefined) hmac.update(`${timestamp}.`);
  return `sha256=${hmac.update(body).digest('hex')}`;
}

function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

export interface WebhookCredentials {
  rawBody: Buffer | undefined;
  signature: string | undefined;
  timestamp: string | undefined;
  bearer: string | null;
}

/**
 * A request is authentic when its body carries a valid signature (timestamped within the tolerance, or the
 * untimed form during its deprecation period), or, for senders that cannot sign, the secret as bearer token.
 */
export function isAuthentic(secret: string, request: WebhookCredentials, now: Date): boolean {
  if (request.signature === undefined) return request.bearer !== null && sameText(secret, request.bearer);
  if (request.rawBody === undefined) return false;
  const signature = request.signature.trim().toLowerCase();
  if (request.timestamp === undefined) return now < UNTIMED_SIGNATURES_UNTIL && sameText(signPayload(secret, request.rawBody), signature);
  if (!/^\d{1,12}$/.test(request.timestamp)) return false;
  const timestamp = Number(request.timestamp);
  if (Math.abs(now.getTime() / 1000 - timestamp) > SIGNATURE_TOLERANCE_SECONDS) return false;
  return sameText(signPayload(secret, request.rawBody, timestamp), signature);
}
