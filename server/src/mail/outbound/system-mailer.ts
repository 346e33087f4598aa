import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { Clock } from '../../common/clock';
import { MailboxRepository } from '../mailbox.repository';
import { MailSender } from './mail-sender';

export type SystemEmailResult = { sent: true; from: string } | { sent: false; error: string };

/**
 * Careloop's own emails to the people who work in it (invitations, notifications while away): sent through
 * the system mailbox, the oldest active mailbox with an SMTP server, on the outbound path replies take.
 */
@Injectable()
export class SystemMailer {
  constructor(
    private readonly mailboxes: MailboxRepository,
    private readonly sender: MailSender,
    private readonly clock: Clock,
  ) {}

  async send(email: { to: string; subject: string; text: string }): Promise<SystemEmailResult> {
    const mailbox = await this.mailboxes.findSystemSender();
    if (!mailbox) return { sent: false, error: 'No mailbox can send email yet: connect one with an SMTP server on the Mailboxes page' };
    const domain = mailbox.address.split('@')[1] ?? 'careloop.local';
    const result = await this.sender.deliver(mailbox, {
      fromName: 'Careloop',
      to: email.to,
      subject: email.subject,
      text: email.text,
      messageId: `careloop-system-${randomUUID()}@${domain}`,
      inReplyTo: null,
      references: [],
      date: this.clock.now(),
      // Nobody should auto-reply to these, and a reply to them must not open a ticket loop.
      headers: { 'Auto-Submitted': 'auto-generated', 'X-Auto-Response-Suppress': 'All' },
    });
    return result.delivered ? { sent: true, from: mailbox.address } : { sent: false, error: result.error };
  }
}
