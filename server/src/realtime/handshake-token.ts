import type { Socket } from 'socket.io';
import { sessionToken } from '../auth/auth.guard';

/** The session token of a Socket.IO handshake: `auth: { token }`, else the API's cookie or bearer header. */
export function handshakeToken(handshake: Pick<Socket['handshake'], 'auth' | 'headers'>): string | null {
  const token = (handshake.auth as { token?: unknown }).token;
  if (typeof token === 'string' && token) return token;
  return sessionToken({ headers: handshake.headers, cookies: parseCookieHeader(handshake.headers.cookie) });
}

export function withoutCredentials(headers: Socket['handshake']['headers']): Socket['handshake']['headers'] {
  const rest = { ...headers };
  delete rest.cookie;
  delete rest.authorization;
  return rest;
}

function parseCookieHeader(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const pair of header?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator < 1) continue;
    const value = pair.slice(separator + 1).trim();
    try {
      cookies[pair.slice(0, separator).trim()] = decodeURIComponent(value);
    } catch {
      cookies[pair.slice(0, separator).trim()] = value;
    }
  }
  return cookies;
}
