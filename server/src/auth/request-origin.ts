import type { IncomingHttpHeaders } from 'node:http';
import type { AppConfig } from '../config/config';

/** Methods that change nothing; every other one is checked against cross-site forgery. */
export const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** What a request's browser says about where it comes from. */
export type OriginVerdict = 'same-origin' | 'cross-origin' | 'unknown';

/**
 * The origins Careloop's own pages have: the configured public URL and, when no proxy sits in front
 * (`CARELOOP_TRUST_PROXY` off), the origin the browser itself addressed (`http://` + Host). A page of
 * another origin cannot make the browser send a Host other than the server's own, so the second one only
 * ever matches Careloop's pages, however it is reached (localhost, 127.0.0.1, a LAN name). Behind a proxy
 * the Host the server sees is the proxy's business, so only the public URL counts there.
 */
export function ownOrigins(config: Pick<AppConfig, 'publicUrl' | 'trustProxy'>, headers: IncomingHttpHeaders): string[] {
  const origins = [new URL(config.publicUrl).origin];
  if (!config.trustProxy && headers.host) origins.push(`http://${headers.host.toLowerCase()}`);
  return origins;
}

/**
 * Browsers set `Origin` (on every cross-origin request and on same-origin non-GET ones) and
 * `Sec-Fetch-Site`; no page can forge either. Non-browser clients usually send neither: `unknown`.
 */
export function originVerdict(config: Pick<AppConfig, 'publicUrl' | 'trustProxy'>, headers: IncomingHttpHeaders): OriginVerdict {
  const fetchSite = headers['sec-fetch-site'];
  if (fetchSite === 'same-origin') return 'same-origin';
  const origin = headers.origin;
  if (origin !== undefined) return ownOrigins(config, headers).includes(origin.toLowerCase()) ? 'same-origin' : 'cross-origin';
  return fetchSite === undefined ? 'unknown' : 'cross-origin';
}

/** The media type of a request body (without parameters), or null when the request has no body. */
export function bodyMediaType(headers: IncomingHttpHeaders): string | null {
  const hasBody = (headers['content-length'] !== undefined && headers['content-length'] !== '0') || headers['transfer-encoding'] !== undefined;
  if (!hasBody) return null;
  return (headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
}
