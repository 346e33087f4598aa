import { Inject, Injectable } from '@nestjs/common';
import type { ConnectionCheckDto, CreateMailboxRequest, MailboxDto, MailboxOptionDto, MailboxHealthDto, UpdateMailboxRequest } from '../../../contracts/mail';
import { Clock } from '../common/clock';
import { ConflictError, NotFoundError } from '../common/errors';
import { SecretBox } from '../common/secret-box';
import { createImapClient, createSmtpTransport, describeConnectionError } from './connection';
import type { Mailbox } from './mailbox.entity';
import { MailboxRepository, type IntakeCounts, type MailboxSecrets } from './mailbox.repository';
import { MailboxCredentials } from './oauth/mailbox-credentials.service';
import type { MailboxSync } from './mailbox-sync.entity';
import { OutboxService } from '../outbox/outbox.service';

type MailboxFields = Omit<UpdateMailboxRequest, 'imapPassword' | 'smtpPassword'>;

@Injectable()
export class MailboxesService {
  constructor(
    private readonly mailboxes: MailboxRepository,
    @Inject(SecretBox) private readonly secrets: SecretBox,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
    private readonly credentials: MailboxCredentials,
  ) {}

  async list(): Promise<MailboxDto[]> {
    const mailboxes = await this.mailboxes.findAll();
    return this.toDtos(mailboxes);
  }

  async options(): Promise<MailboxOptionDto[]> {
    return (await this.mailboxes.findAll()).map(({ id, name, address, isActive }) => ({ id, name, address, isActive }));
  }

  async get(id: string): Promise<MailboxDto> {
    const mailbox = await this.mailboxes.findById(id);
    if (!mailbox) throw new NotFoundError('Mailbox');
    return (await this.toDtos([mailbox]))[0];
  }

  async create(input: CreateMailboxRequest): Promise<MailboxDto> {
    if (await this.mailboxes.findByAddress(input.address)) throw new ConflictError(`A mailbox for ${input.address} already exists`);
    const { imapPassword, smtpPassword, ...fields } = input;
    const saved = await this.outbox.transaction(async (manager, raise) => {
      const inserted = await this.mailboxes.save({ ...(fields as MailboxFields), imapPasswordSealed: this.secrets.seal(imapPassword), smtpPasswordSealed: this.secrets.seal(smtpPassword) }, manager);
      raise({ name: 'mailbox.changed', payload: { mailboxId: inserted.id } });
      return inserted;
    });
    return this.get(saved.id);
  }

  async update(id: string, input: UpdateMailboxRequest): Promise<MailboxDto> {
    await this.get(id);
    const { imapPassword, smtpPassword, ...fields } = input;
    if (fields.address) {
      const other = await this.mailboxes.findByAddress(fields.address);
      if (other && other.id !== id) throw new ConflictError(`A mailbox for ${fields.address} already exists`);
    }
    const changes: Partial<Mailbox> & { imapPasswordSealed?: string; smtpPasswordSealed?: string } = { id, ...(fields) };
    if (imapPassword) changes.imapPasswordSealed = this.secrets.seal(imapPassword);
    if (smtpPassword) changes.smtpPasswordSealed = this.secrets.seal(smtpPassword);
    // updated_at must move even when only a sealed secret changed: workers reload on it.
    changes.updatedAt = this.clock.now();
    await this.outbox.transaction(async (manager, raise) => {
      await this.mailboxes.save(changes, manager);
      raise({ name: 'mailbox.changed', payload: { mailboxId: id } });
    });
    return this.get(id);
  }

  async delete(id: string): Promise<void> {
    await this.outbox.transaction(async (manager, raise) => {
      if (!(await this.mailboxes.delete(id, manager))) throw new NotFoundError('Mailbox');
      raise({ name: 'mailbox.changed', payload: { mailboxId: id } });
    });
  }

  /** Checks IMAP (login and folder) and SMTP (login) separately, with answers a person can act on. */
  async testConnection(id: string): Promise<ConnectionCheckDto> {
    const mailbox = await this.mailboxes.findWithSecrets(id);
    if (!mailbox) throw new NotFoundError('Mailbox');
    const [imap, smtp] = await Promise.all([this.checkImap(mailbox), this.checkSmtp(mailbox)]);
    return { imap, smtp };
  }

  private async checkImap(mailbox: Mailbox & MailboxSecrets): Promise<{ ok: boolean; message: string }> {
    if (!mailbox.imapHost) return { ok: false, message: 'No IMAP server is configured.' };
    const login = mailbox.oauthProvider ? 'oauth' : 'password';
    let client: ReturnType<typeof createImapClient> | null = null;
    try {
      client = createImapClient(mailbox, await this.credentials.imap(mailbox));
      client.on('error', () => undefined);
      await client.connect();
      const status = await client.status(mailbox.imapFolder, { messages: true });
      return { ok: true, message: `Connected; folder ${mailbox.imapFolder} has ${(status && status.messages) || 0} messages.` };
    } catch (error) {
      return { ok: false, message: describeConnectionError('IMAP', error, login) };
    } finally {
      const opened = client;
      await opened?.logout().catch(() => opened.close());
    }
  }

  private async checkSmtp(mailbox: Mailbox & MailboxSecrets): Promise<{ ok: boolean; message: string }> {
    if (!mailbox.smtpHost) return { ok: false, message: 'No SMTP server is configured.' };
    const transport = createSmtpTransport(mailbox, this.credentials.smtp(mailbox));
    try {
      await transport.verify();
      return { ok: true, message: 'Connected and logged in.' };
    } catch (error) {
      return { ok: false, message: describeConnectionError('SMTP', error, mailbox.oauthProvider ? 'oauth' : 'password') };
    } finally {
      transport.close();
    }
  }

  private async toDtos(mailboxes: Mailbox[]): Promise<MailboxDto[]> {
    const ids = mailboxes.map((mailbox) => mailbox.id);
    const [syncs, counts, secrets] = await Promise.all([this.mailboxes.findSyncs(ids), this.mailboxes.intakeCounts(ids), this.mailboxes.secretPresence(ids)]);
    return mailboxes.map((mailbox) => {
      const sync = syncs.find((row) => row.mailboxId === mailbox.id && row.folder === mailbox.imapFolder) ?? null;
      const stored = secrets.get(mailbox.id);
      return {
        id: mailbox.id,
        name: mailbox.name,
        address: mailbox.address,
        isActive: mailbox.isActive,
        imapHost: mailbox.imapHost,
        imapPort: mailbox.imapPort,
        imapTls: mailbox.imapTls,
        imapUser: mailbox.imapUser,
        imapFolder: mailbox.imapFolder,
        smtpHost: mailbox.smtpHost,
        smtpPort: mailbox.smtpPort,
        smtpTls: mailbox.smtpTls,
        smtpUser: mailbox.smtpUser,
        sentFolder: mailbox.sentFolder,
        plusAddressing: mailbox.plusAddressing,
        reopenWindowDays: mailbox.reopenWindowDays,
        captureOutbox: mailbox.captureOutbox,
        oauthProvider: mailbox.oauthProvider,
        oauthAccount: mailbox.oauthAccount,
        hasImapPassword: stored?.imap ?? false,
        hasSmtpPassword: stored?.smtp ?? false,
        health: this.health(mailbox, sync, counts.get(mailbox.id), stored?.imap ?? false),
      };
    });
  }

  private health(mailbox: Mailbox, sync: MailboxSync | null, counts: IntakeCounts | undefined, hasImapPassword: boolean): MailboxHealthDto {
    const iso = (date: Date | null | undefined) => (date ? date.toISOString() : null);
    // An active mailbox that cannot connect by its settings says so instead of "connecting" forever.
    const blocker = mailbox.isActive ? this.whyNotConnecting(mailbox, hasImapPassword) : null;
    const state = !mailbox.isActive ? 'disabled' : blocker ? 'error' : ((sync?.state ?? 'connecting') as MailboxHealthDto['state']);
    return {
      state,
      lastError: blocker ?? sync?.lastError ?? null,
      lastErrorAt: blocker ? null : iso(sync?.lastErrorAt),
      lastSyncAt: iso(sync?.lastSyncAt),
      lagSeconds: sync?.lastSyncAt ? Math.max(0, Math.round((this.clock.now().getTime() - sync.lastSyncAt.getTime()) / 1000)) : null,
      folderMessages: sync?.folderMessages ?? null,
      importedMessages: counts?.imported ?? 0,
      skippedRedeliveries: counts?.skipped ?? 0,
      quarantinedMessages: counts?.quarantined ?? 0,
      flaggedMessages: counts?.flagged ?? 0,
      quarantine: counts?.quarantine ?? [],
    };
  }

  private whyNotConnecting(mailbox: Mailbox, hasImapPassword: boolean): string | null {
    if (mailbox.oauthError) return mailbox.oauthError;
    if (!mailbox.imapHost) return 'No IMAP server is set, so no mail is imported: edit the mailbox to add one, or connect it with Google or Microsoft 365.';
    if (!mailbox.oauthProvider && !hasImapPassword) return 'No IMAP password is stored, so Careloop cannot log in: edit the mailbox to enter it.';
    return null;
  }
}
