import type { TestApp } from './app';
import type { MailStack } from './mail-stack';
import type { MailboxDto } from '../../contracts/mail';

export const SUPPORT = 'support@careloop.test';
export const SUPPORT_PASSWORD = 'support-imap-pass';

/** A plain RFC 5322 message, as a customer's mail client would write it. */
export function email(fields: { from: string; to?: string; subject: string; body: string; messageId: string; inReplyTo?: string; references?: string[]; headers?: Record<string, string> }): string {
  const lines = [
    `From: ${fields.from}`,
    `To: ${fields.to ?? SUPPORT}`,
    `Subject: ${fields.subject}`,
    `Message-ID: <${fields.messageId}>`,
    `Date: ${new Date().toUTCString()}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
  ];
  if (fields.inReplyTo) lines.push(`In-Reply-To: <${fields.inReplyTo}>`);
  if (fields.references?.length) lines.push(`References: ${fields.references.map((id) => `<${id}>`).join(' ')}`);
  for (const [name, value] of Object.entries(fields.headers ?? {})) lines.push(`${name}: ${value}`);
  return `${lines.join('\r\n')}\r\n\r\n${fields.body}\r\n`;
}

/** Connects the stack's support mailbox to Careloop through the admin API. */
export async function connectMailbox(t: TestApp, stack: MailStack, admin: string, overrides: Record<string, unknown> = {}): Promise<MailboxDto> {
  const response = await t.http
    .post('/api/mailboxes')
    .auth(admin, { type: 'bearer' })
    .send({
      name: 'Support',
      address: SUPPORT,
      imapHost: stack.imap.host,
      imapPort: stack.imap.port,
      imapTls: false,
      imapUser: SUPPORT,
      imapPassword: SUPPORT_PASSWORD,
      smtpHost: stack.smtp.host,
      smtpPort: stack.smtp.port,
      smtpTls: false,
      smtpUser: SUPPORT,
      smtpPassword: SUPPORT_PASSWORD,
      ...overrides,
    });
  if (response.status !== 201) throw new Error(`mailbox not created: ${JSON.stringify(response.body)}`);
  return response.body as MailboxDto;
}
