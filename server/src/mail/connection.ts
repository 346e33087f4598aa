import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { createTransport, type Transporter } from 'nodemailer';
import type { Mailbox } from './mailbox.entity';

/** A password login, or XOAUTH2 with an access token (imapflow picks the mechanism from the field). */
export type ImapAuth = { user: string; pass: string } | { user: string; accessToken: string };

/** A password login, or XOAUTH2 with tokens nodemailer asks for whenever it logs in (and again, renewed, after a refusal). */
export type SmtpAuth =
  | { user: string; pass: string }
  | { type: 'OAuth2'; user: string; provisionCallback: (user: string, renew: boolean, callback: (error: Error | null, accessToken?: string, expires?: number) => void) => void };

export function imapOptions(mailbox: Mailbox, auth: ImapAuth): ImapFlowOptions {
  return {
    host: mailbox.imapHost ?? '',
    port: mailbox.imapPort,
    secure: mailbox.imapTls,
    auth,
    // imapflow logs every command (with credentials at debug level): keep it silent.
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 5 * 60_000,
    // Only when the server offers STARTTLS; a plain server on loopback (tests, local Dovecot) still works.
    doSTARTTLS: undefined,
  };
}

export function createImapClient(mailbox: Mailbox, auth: ImapAuth): ImapFlow {
  return new ImapFlow(imapOptions(mailbox, auth));
}

export function createSmtpTransport(mailbox: Mailbox, auth: SmtpAuth | undefined, options: { pool?: boolean } = {}): Transporter {
  return createTransport({
    pool: options.pool ?? false,
    host: mailbox.smtpHost ?? '',
    port: mailbox.smtpPort,
    secure: mailbox.smtpTls,
    auth,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 60_000,
    logger: false,
  });
}

/**
 * Turns a connection error into a sentence an admin can act on: wrong password, host unreachable,
 * TLS mismatch, folder missing. Never includes credentials.
 */
export function describeConnectionError(protocol: 'IMAP' | 'SMTP', error: unknown, login: 'password' | 'oauth' = 'password'): string {
  const e = (error ?? {}) as { code?: string; message?: string; authenticationFailed?: boolean; responseCode?: number; serverResponseCode?: string; response?: string };
  const message = e.message ?? String(error);
  const code = e.code ?? '';
  // Already in words: the provider refused to renew the mailbox's OAuth access.
  if (code === 'EOAUTH_REVOKED') return message;
  if (e.authenticationFailed || code === 'EAUTH' || e.serverResponseCode === 'AUTHENTICATIONFAILED' || /auth(entication)? failed|invalid credentials|535/i.test(message)) {
    return login === 'oauth'
      ? `The ${protocol} server refused the mailbox's OAuth access. Check that ${protocol === 'IMAP' ? 'IMAP' : 'SMTP AUTH'} is enabled for the mailbox, or reconnect it.`
      : `The ${protocol} server refused the username or password. Check them (some providers need an app password).`;
  }
  // nodemailer wraps socket errors (EDNS, ECONNECTION, ESOCKET) and keeps the system's code only in the message.
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || /\b(ENOTFOUND|EAI_AGAIN)\b/.test(message)) return `The ${protocol} host name could not be found. Check the host.`;
  if (code === 'ECONNREFUSED' || /\bECONNREFUSED\b/.test(message)) return `The ${protocol} server refused the connection. Check the host and port.`;
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || /timed? ?out/i.test(message)) return `The ${protocol} server did not answer in time. Check the host, port and firewall.`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'NoConnection' || /connection (closed|reset)|unexpected close/i.test(message)) {
    return `The ${protocol} server closed the connection. It may be restarting, or the TLS setting may not match the port.`;
  }
  if (/ssl|tls|wrong version number|certificate|EPROTO/i.test(message + code)) {
    return `The TLS setting does not match the ${protocol} server (for example TLS on a plain port, or the reverse), or its certificate is not trusted.`;
  }
  if (protocol === 'IMAP' && (e.serverResponseCode === 'NONEXISTENT' || /mailbox doesn't exist|no such mailbox|nonexistent/i.test(message))) return 'The IMAP folder does not exist. Check the folder name.';
  // The server took the connection and refused the message or a recipient: its own words say why ("550 No such user").
  if (protocol === 'SMTP' && typeof e.responseCode === 'number' && e.responseCode >= 400 && e.response) {
    return `The SMTP server refused the message: ${e.response.replace(/\s+/g, ' ').slice(0, 300)}`;
  }
  return `${protocol} error: ${message.replace(/\s+/g, ' ').slice(0, 300)}`;
}
