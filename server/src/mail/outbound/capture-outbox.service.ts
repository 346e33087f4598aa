import { Injectable } from '@nestjs/common';
import type { CapturedEmailDto } from '../../../../contracts/mail';
import type { Mailbox } from '../mailbox.entity';
import type { CapturedHeader } from './captured-email.entity';
import { CapturedEmailRepository } from './captured-email.repository';

/** How many captured emails the demo outbox page lists. */
const SHOWN = 100;

/** The header block of a composed message, unfolded, in order. */
export function headersOf(raw: Buffer): CapturedHeader[] {
  const text = raw.toString('utf8');
  const end = text.search(/\r?\n\r?\n/);
  const block = (end === -1 ? text : text.slice(0, end)).replace(/\r?\n[ \t]+/g, ' ');
  return block.split(/\r?\n/).flatMap((line) => {
    const colon = line.indexOf(':');
    return colon > 0 ? [{ name: line.slice(0, colon), value: line.slice(colon + 1).trim() }] : [];
  });
}

/**
 * The demo mailbox's outbox: what it would have sent is kept here, whole, and listed on a page labelled as
 * demo, so replies in the demo workspace "send" without an SMTP server and nothing leaves the machine.
 */
@Injectable()
export class CaptureOutbox {
  constructor(private readonly emails: CapturedEmailRepository) {}

  async keep(mailbox: Mailbox, envelope: { from: string; to: string[] }, raw: Buffer, bodyText: string): Promise<void> {
    const headers = headersOf(raw);
    const subject = headers.find((header) => header.name.toLowerCase() === 'subject')?.value ?? '';
    await this.emails.save({ mailboxId: mailbox.id, envelopeFrom: envelope.from, envelopeTo: envelope.to, subject, headers, bodyText, size: raw.length });
  }

  async list(): Promise<CapturedEmailDto[]> {
    return (await this.emails.newest(SHOWN)).map((email) => ({
      id: email.id,
      mailboxName: email.mailbox.name,
      envelopeFrom: email.envelopeFrom,
      envelopeTo: email.envelopeTo,
      subject: email.subject,
      headers: email.headers,
      bodyText: email.bodyText,
      size: email.size,
      capturedAt: email.createdAt.toISOString(),
    }));
  }
}
