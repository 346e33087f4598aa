import { Injectable } from '@nestjs/common';
import { Clock } from '../common/clock';
import type { Mailbox } from '../mail/mailbox.entity';
import { MailboxRepository, type MailboxSecrets } from '../mail/mailbox.repository';
import { MailSender } from '../mail/outbound/mail-sender';
import { JourneyEngineRepository } from './journey-engine.repository';
import { UnsubscribeTokens } from './unsubscribe-token';

/** SMTP exchanges in flight at once per instance; each holds one database connection while it lasts. */
const SENDERS = 8;
const RETRY_LIMIT = 6;
const FIRST_RETRY_SECONDS = 30;
/** Mailboxes are looked up once per drain, and again after this long so an edited mailbox is picked up. */
const MAILBOX_CACHE_MS = 30_000;

/** What one drain reads once rather than per email. */
interface DrainContext {
  mailboxes: Map<string, { mailbox: (Mailbox & MailboxSecrets) | null; loadedAt: number }>;
}

/**
 * Sends queued care emails. Each email is claimed with FOR UPDATE SKIP LOCKED and its row stays locked
 * until it is marked sent: another worker skips it meanwhile, and if this process dies mid-send the lock
 * goes with its connection and the email is simply queued again. Only an SMTP server that accepted the
 * message in the instant before a crash can see it twice, with the same Message-ID.
 */
@Injectable()
export class CareMailer {
  constructor(
    private readonly repository: JourneyEngineRepository,
    private readonly sender: MailSender,
    private readonly mailboxes: MailboxRepository,
    private readonly tokens: UnsubscribeTokens,
    private readonly clock: Clock,
  ) {}

  /** Sends every care email that is due; returns how many it handled (sent, failed or suppressed). */
  async drain(): Promise<number> {
    const context: DrainContext = { mailboxes: new Map() };
    const handled = await Promise.all(Array.from({ length: SENDERS }, () => this.sendUntilEmpty(context)));
    return handled.reduce((sum, count) => sum + count, 0);
  }

  private async sendUntilEmpty(context: DrainContext): Promise<number> {
    let handled = 0;
    while (await this.sendNext(context)) handled++;
    return handled;
  }

  private async mailbox(id: string, context: DrainContext): Promise<(Mailbox & MailboxSecrets) | null> {
    const cached = context.mailboxes.get(id);
    if (cached && Date.now() - cached.loadedAt < MAILBOX_CACHE_MS) return cached.mailbox;
    const mailbox = await this.mailboxes.findWithSecrets(id);
    context.mailboxes.set(id, { mailbox, loadedAt: Date.now() });
    return mailbox;
  }

  private async sendNext(context: DrainContext): Promise<boolean> {
    return this.repository.transaction(async (manager) => {
      const claimed = await this.repository.claimNextTouch(manager);
      if (!claimed) return false;
      const { touch } = claimed;
      if (claimed.unsubscribed) {
        await this.repository.updateTouch(touch.id, { state: 'suppressed', error: 'The customer unsubscribed' }, manager);
        return true;
      }
      const mailbox = touch.mailboxId ? await this.mailbox(touch.mailboxId, context) : null;
      if (!mailbox) {
        await this.repository.updateTouch(touch.id, { state: 'failed', error: 'The mailbox it was to leave from was deleted' }, manager);
        return true;
      }
      const unsubscribe = this.tokens.link({ customerId: touch.customerId, touchId: touch.id });
      const result = await this.sender.deliver(mailbox, {
        fromName: touch.fromName,
        to: touch.toAddress,
        subject: touch.subject,
        text: touch.body,
        messageId: touch.messageId,
        inReplyTo: touch.inReplyTo,
        references: touch.references,
        date: touch.createdAt,
        headers: {
          'Auto-Submitted': 'auto-generated',
          'X-Auto-Response-Suppress': 'OOF, AutoReply',
          'List-Unsubscribe': `<${unsubscribe}>`,
          'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
        },
      });
      const attempts = touch.attempts + 1;
      if (result.delivered) await this.repository.updateTouch(touch.id, { state: 'sent', sentAt: this.clock.now(), attempts, error: null }, manager);
      else if (result.permanent || attempts >= RETRY_LIMIT) await this.repository.updateTouch(touch.id, { state: 'failed', attempts, error: result.error }, manager);
      else await this.repository.retryTouchLater(touch.id, attempts, `${result.error} Retrying.`, FIRST_RETRY_SECONDS * 2 ** (attempts - 1), manager);
      return true;
    });
  }
}
