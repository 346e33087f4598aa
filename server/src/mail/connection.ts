import { ImapFlow, type ImapFlowOptions } from 'imapflow';
import { createTransport, type Transporter } from 'nodemailer';
import type { SecretBox } from '../common/secret-box';
import type { Mailbox } from './mailbox.entity';
import type { MailboxSecrets } from './mailbox.repository';

type MailboxWithSecrets = Mailbox & MailboxSecrets;

export function imapOptions(mailbox: MailboxWithSecrets, secrets: SecretBox): ImapFlowOptions {
  return {
    host: mailbox.imapHost ?? '',
    port: mailbox.imapPort,
    secure: mailbox.imapTls,
    auth: { user: mailbox.imapUser ?? '', pass: mailbox.imapPasswordSealed ? secrets.open(mailbox.imapPasswordSealed) : '' },
    // imapflow logs every command (with credentials at debug level): keep it silent.
    logger: false,
    connectionTimeout: 15_000,
    greetingTimeout: 10_000,
    socketTimeout: 5 * 60_000,
    // Only when the server offers STARTTLS; a plain server on loopback (tests, local Dovecot) still works.
    doSTARTTLS: undefined,
  };
}

export function createImapClient(mailbox: MailboxWithSecrets, secrets: SecretBox): ImapFlow {
  return new ImapFlow(imapOptions(mailbox, secrets));
}

export function createSmtpTransport(mailbox: MailboxWithSecrets, secrets: SecretBox, options: { pool?: boolean } = {}): Transporter {
  return createTransport({
    pool: options.pool ?? false,
    host: mailbox.smtpHost ?? '',
    port: mailbox.smtpPort,
    secure: mailbox.smtpTls,
    auth: mailbox.smtpUser ? { user: mailbox.smtpUser, pass: mailbox.smtpPasswordSealed ? secrets.open(mailbox.smtpPasswordSealed) : '' } : undefined,
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
export function describeConnectionError(protocol: 'IMAP' | 'SMTP', error: unknown): string {
  const e = (error ?? {}) as { code?: string; message?: string; authenticationFailed?: boolean; responseCode?: number; serverResponseCode?: string; response?: string };
  const message = e.message ?? String(error);
  const code = e.code ?? '';
  if (e.authenticationFailed || code === 'EAUTH' || e.serverResponseCode === 'AUTHENTICATIONFAILED' || /auth(entication)? failed|invalid credentials|535/i.test(message)) {
    return `The ${protocol} server refused the username or password. Check them (some providers need an app password).`;
  }
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return `The ${protocol} host name could not be found. Check the host.`;
  if (code === 'ECONNREFUSED') return `The ${protocol} server refused the connection. Check the host and port.`;
  if (code === 'ETIMEDOUT' || code === 'ETIMEOUT' || /timed? ?out/i.test(message)) return `The ${protocol} server did not answer in time. Check the host, port and firewall.`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || code === 'NoConnection' || /connection (closed|reset)|unexpected close/i.test(message)) {
    return `The ${protocol} server closed the connection. It may be restarting, or the TLS setting may not match the port.`;
  }
  if (/ssl|tls|wrong version number|certificate|EPROTO/i.test(message + code)) {
    return `The TLS setting does not match the ${protocol} server (for example TLS on a plain port, or the reverse), or its certificate is not trusted.`;
  }
  if (e.serverResponseCode === 'NONEXISTENT' || /mailbox doesn't exist|no such mailbox|nonexistent/i.test(message)) return 'The IMAP folder does not exist. Check the folder name.';
  return `${protocol} error: ${message.replace(/\s+/g, ' ').slice(0, 300)}`;
}
