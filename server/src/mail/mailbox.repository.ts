import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Message } from '../tickets/message.entity';
import { MailReceipt } from './mail-receipt.entity';
import { Mailbox } from './mailbox.entity';
import { MailboxSync } from './mailbox-sync.entity';

export interface MailboxSecrets {
  imapPasswordSealed: string | null;
  smtpPasswordSealed: string | null;
}

/** The only code that queries mailboxes, their sync state and mail receipts. */
@Injectable()
export class MailboxRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private mailboxes(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Mailbox);
  }

  findAll(): Promise<Mailbox[]> {
    return this.mailboxes().find({ order: { name: 'ASC' } });
  }

  findById(id: string): Promise<Mailbox | null> {
    return this.mailboxes().findOneBy({ id });
  }

  findByAddress(address: string): Promise<Mailbox | null> {
    return this.mailboxes().findOneBy({ address: address.toLowerCase() });
  }

  /** The mailbox with its sealed passwords, which are otherwise never selected. */
  findWithSecrets(id: string): Promise<(Mailbox & MailboxSecrets) | null> {
    return this.mailboxes()
      .createQueryBuilder('mailbox')
      .addSelect(['mailbox.imapPasswordSealed', 'mailbox.smtpPasswordSealed'])
      .where('mailbox.id = :id', { id })
      .getOne();
  }

  /** The mailbox Careloop's own emails (invitations, notifications) leave from: the oldest active one that can send. */
  findSystemSender(): Promise<(Mailbox & MailboxSecrets) | null> {
    return this.mailboxes()
      .createQueryBuilder('mailbox')
      .addSelect(['mailbox.imapPasswordSealed', 'mailbox.smtpPasswordSealed'])
      .where('mailbox.isActive = true AND mailbox.smtpHost IS NOT NULL')
      .orderBy('mailbox.createdAt', 'ASC')
      .addOrderBy('mailbox.id', 'ASC')
      .getOne();
  }

  /** Mailboxes that should be ingesting, with the change time that tells a worker to reload. */
  findIngestible(): Promise<Pick<Mailbox, 'id' | 'updatedAt'>[]> {
    return this.mailboxes()
      .createQueryBuilder('mailbox')
      .select(['mailbox.id', 'mailbox.updatedAt'])
      .where('mailbox.isActive = true AND mailbox.imapHost IS NOT NULL AND mailbox.imapPasswordSealed IS NOT NULL')
      .getMany();
  }

  /** Which mailboxes have passwords stored, without reading the secrets themselves. */
  async secretPresence(ids: string[]): Promise<Map<string, { imap: boolean; smtp: boolean }>> {
    if (ids.length === 0) return new Map();
    const rows = await this.mailboxes()
      .createQueryBuilder('mailbox')
      .select('mailbox.id', 'id')
      .addSelect('mailbox.imap_password_sealed IS NOT NULL', 'imap')
      .addSelect('mailbox.smtp_password_sealed IS NOT NULL', 'smtp')
      .where('mailbox.id IN (:...ids)', { ids })
      .getRawMany<{ id: string; imap: boolean; smtp: boolean }>();
    return new Map(rows.map((row) => [row.id, { imap: row.imap, smtp: row.smtp }]));
  }

  save(mailbox: Partial<Mailbox>): Promise<Mailbox> {
    return this.mailboxes().save(mailbox);
  }

  async delete(id: string): Promise<boolean> {
    const result = await this.mailboxes().delete({ id });
    return (result.affected ?? 0) > 0;
  }

  // ---- sync state ----

  findSync(mailboxId: string, folder: string, manager: EntityManager = this.dataSource.manager): Promise<MailboxSync | null> {
    return manager.getRepository(MailboxSync).findOneBy({ mailboxId, folder });
  }

  findSyncs(mailboxIds: string[]): Promise<MailboxSync[]> {
    return mailboxIds.length ? this.dataSource.getRepository(MailboxSync).findBy({ mailboxId: In(mailboxIds) }) : Promise.resolve([]);
  }

  /** Creates or updates the folder's sync row with these fields. */
  async upsertSync(mailboxId: string, folder: string, fields: Partial<MailboxSync>, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager
      .createQueryBuilder()
      .insert()
      .into(MailboxSync)
      .values({ mailboxId, folder, ...fields, updatedAt: () => 'now()' })
      .orUpdate([...Object.keys(fields).map((key) => this.column(key)), 'updated_at'], ['mailbox_id', 'folder'])
      .execute();
  }

  /** Moves the checkpoint forward (never back) in the caller's transaction. */
  async advanceCheckpoint(mailboxId: string, folder: string, uidValidity: string, uid: string, manager: EntityManager): Promise<void> {
    await manager.query(
      `INSERT INTO mailbox_syncs (mailbox_id, folder, uid_validity, last_uid, updated_at) VALUES ($1, $2, $3, $4, now())
       ON CONFLICT (mailbox_id, folder) DO UPDATE SET last_uid = GREATEST(mailbox_syncs.last_uid, EXCLUDED.last_uid), uid_validity = EXCLUDED.uid_validity, updated_at = now()`,
      [mailboxId, folder, uidValidity, uid],
    );
  }

  // ---- receipts ----

  async receivedUids(mailboxId: string, folder: string, uidValidity: string, uids: string[], manager: EntityManager = this.dataSource.manager): Promise<Set<string>> {
    if (uids.length === 0) return new Set();
    const rows = await manager.getRepository(MailReceipt).find({ where: { mailboxId, folder, uidValidity, uid: In(uids) }, select: { uid: true } });
    return new Set(rows.map((row) => row.uid));
  }

  /**
   * Which of these Message-IDs the mailbox already knows: taken in before (even if the ticket was
   * deleted since), or sent by Careloop itself.
   */
  async knownMessageIds(mailboxId: string, messageIds: string[], manager: EntityManager): Promise<Set<string>> {
    if (messageIds.length === 0) return new Set();
    const rows = await manager.query<{ id: string }[]>(
      `SELECT message_id_header AS id FROM mail_receipts WHERE mailbox_id = $1 AND message_id_header = ANY($2)
       UNION SELECT message_id FROM messages WHERE mailbox_id = $1 AND message_id = ANY($2)`,
      [mailboxId, messageIds],
    );
    return new Set(rows.map((row) => row.id));
  }

  /** Records receipts; false when one of these UIDs was already taken in (a concurrent import). */
  async insertReceipts(receipts: Partial<MailReceipt>[], manager: EntityManager): Promise<boolean> {
    if (receipts.length === 0) return true;
    const result = await manager.createQueryBuilder().insert().into(MailReceipt).values(receipts).orIgnore().returning(['id']).execute();
    return (result.raw as unknown[]).length === receipts.length;
  }

  async importedCounts(mailboxIds: string[]): Promise<Map<string, { imported: number; flagged: number }>> {
    const counts = new Map<string, { imported: number; flagged: number }>();
    if (mailboxIds.length === 0) return counts;
    const rows = await this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .select('m.mailbox_id', 'mailbox_id')
      .addSelect('count(*)::int', 'imported')
      .addSelect("count(*) FILTER (WHERE cardinality(m.flags) > 0 AND NOT m.flags <@ ARRAY['auto_reply','bulk']::text[])::int", 'flagged')
      .where("m.mailbox_id IN (:...mailboxIds) AND m.direction = 'inbound'", { mailboxIds })
      .groupBy('m.mailbox_id')
      .getRawMany<{ mailbox_id: string; imported: number; flagged: number }>();
    for (const row of rows) counts.set(row.mailbox_id, { imported: row.imported, flagged: row.flagged });
    return counts;
  }

  private column(property: string): string {
    return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  }
}
