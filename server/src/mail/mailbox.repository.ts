import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import type { OAuthProvider } from '../../../contracts/mail';
import { MailReceipt } from './mail-receipt.entity';
import { Mailbox } from './mailbox.entity';
import { MailboxSync } from './mailbox-sync.entity';

export interface KnownDeliveries {
  contents: Set<string>;
  legacyMessageIds: Set<string>;
  ownMessageIds: Set<string>;
}

export interface IntakeCounts {
  imported: number;
  skipped: number;
  quarantined: number;
  flagged: number;
  quarantine: { uid: string; reason: string; at: string }[];
}

/** Quarantined messages listed on a mailbox's health, newest first. */
const QUARANTINE_SHOWN = 20;

/** How a receipt's content hash and Message-ID are matched against a new message's. */
export function deliveryKey(contentHash: string, messageIdHeader: string | null): string {
  return `${contentHash} ${messageIdHeader ?? ''}`;
}

export interface MailboxSecrets {
  imapPasswordSealed: string | null;
  smtpPasswordSealed: string | null;
  oauthRefreshTokenSealed: string | null;
  oauthAccessTokenSealed: string | null;
}

/** A mailbox's OAuth tokens (sealed) and their times, as read under the row lock that serialises refreshes. */
export interface OAuthTokenState {
  provider: OAuthProvider;
  refreshTokenSealed: string | null;
  accessTokenSealed: string | null;
  accessTokenExpiresAt: Date | null;
  refreshDueAt: Date | null;
  error: string | null;
}

export type OAuthTokenChanges = Partial<Omit<OAuthTokenState, 'provider'>>;

const OAUTH_COLUMNS: Record<keyof OAuthTokenChanges, string> = {
  refreshTokenSealed: 'oauth_refresh_token_sealed',
  accessTokenSealed: 'oauth_access_token_sealed',
  accessTokenExpiresAt: 'oauth_access_token_expires_at',
  refreshDueAt: 'oauth_refresh_due_at',
  error: 'oauth_error',
};

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

  /** The mailbox with its sealed passwords and tokens, which are otherwise never selected. */
  findWithSecrets(id: string): Promise<(Mailbox & MailboxSecrets) | null> {
    return this.mailboxes()
      .createQueryBuilder('mailbox')
      .addSelect(['mailbox.imapPasswordSealed', 'mailbox.smtpPasswordSealed', 'mailbox.oauthRefreshTokenSealed', 'mailbox.oauthAccessTokenSealed'])
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
      .where('mailbox.isActive = true AND mailbox.imapHost IS NOT NULL AND mailbox.oauthError IS NULL')
      .andWhere('(mailbox.imapPasswordSealed IS NOT NULL OR mailbox.oauthRefreshTokenSealed IS NOT NULL)')
      .getMany();
  }

  async findOAuthState(id: string): Promise<OAuthTokenState | null> {
    return this.readOAuthState(id, '', this.dataSource.manager);
  }

  /**
   * Runs `work` holding the mailbox row's lock, so one refresh at a time happens per mailbox across every
   * instance (a provider that rotates refresh tokens would refuse the second of two concurrent ones).
   */
  withOAuthLock<T>(id: string, work: (state: OAuthTokenState | null, store: (changes: OAuthTokenChanges) => Promise<void>) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(async (manager) => {
      const state = await this.readOAuthState(id, 'FOR UPDATE', manager);
      return work(state, (changes) => this.storeOAuth(id, changes, manager));
    });
  }

  /** Token changes leave updated_at alone: it tells ingestion workers to reconnect, which a refresh must not. */
  private async storeOAuth(id: string, changes: OAuthTokenChanges, manager: EntityManager): Promise<void> {
    const entries = Object.entries(changes) as [keyof OAuthTokenChanges, unknown][];
    if (entries.length === 0) return;
    const assignments = entries.map(([key], index) => `${OAUTH_COLUMNS[key]} = $${index + 2}`).join(', ');
    await manager.query(`UPDATE mailboxes SET ${assignments} WHERE id = $1`, [id, ...entries.map(([, value]) => value)]);
  }

  private async readOAuthState(id: string, lock: '' | 'FOR UPDATE', manager: EntityManager): Promise<OAuthTokenState | null> {
    const rows = await manager.query<Array<{ provider: OAuthProvider | null } & Omit<OAuthTokenState, 'provider'>>>(
      `SELECT oauth_provider AS provider, oauth_refresh_token_sealed AS "refreshTokenSealed", oauth_access_token_sealed AS "accessTokenSealed",
              oauth_access_token_expires_at AS "accessTokenExpiresAt", oauth_refresh_due_at AS "refreshDueAt", oauth_error AS error
       FROM mailboxes WHERE id = $1 ${lock}`,
      [id],
    );
    const row = rows[0];
    return row?.provider ? { ...row, provider: row.provider } : null;
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

  save(mailbox: Partial<Mailbox>, manager?: EntityManager): Promise<Mailbox> {
    return this.mailboxes(manager).save(mailbox);
  }

  async delete(id: string, manager?: EntityManager): Promise<boolean> {
    const result = await this.mailboxes(manager).delete({ id });
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
   * What the mailbox already holds of these messages: receipts with one of these content hashes (keyed
   * `${hash} ${messageIdHeader}`), Message-IDs received before content hashes were kept, and Message-IDs
   * of mail Careloop sent itself.
   */
  async knownDeliveries(mailboxId: string, hashes: string[], messageIds: string[], manager: EntityManager): Promise<KnownDeliveries> {
    const received = await manager.query<{ content_hash: string | null; message_id_header: string | null }[]>(
      `SELECT content_hash, message_id_header FROM mail_receipts
       WHERE mailbox_id = $1 AND outcome = 'imported' AND (content_hash = ANY($2::text[]) OR (content_hash IS NULL AND message_id_header = ANY($3::text[])))`,
      [mailboxId, hashes, messageIds],
    );
    const own = await manager.query<{ message_id: string }[]>(`SELECT message_id FROM messages WHERE mailbox_id = $1 AND direction = 'outbound' AND message_id = ANY($2::text[])`, [mailboxId, messageIds]);
    return {
      contents: new Set(received.filter((row) => row.content_hash).map((row) => deliveryKey(row.content_hash ?? '', row.message_id_header))),
      legacyMessageIds: new Set(received.filter((row) => !row.content_hash && row.message_id_header).map((row) => row.message_id_header ?? '')),
      ownMessageIds: new Set(own.map((row) => row.message_id)),
    };
  }

  /** Records receipts; false when one of these UIDs was already taken in (a concurrent import). */
  async insertReceipts(receipts: Partial<MailReceipt>[], manager: EntityManager): Promise<boolean> {
    if (receipts.length === 0) return true;
    const result = await manager.createQueryBuilder().insert().into(MailReceipt).values(receipts).orIgnore().returning(['id']).execute();
    return (result.raw as unknown[]).length === receipts.length;
  }

  /**
   * Per mailbox, what became of the messages of its folders as they are numbered now (the current
   * UIDVALIDITY): imported, skipped as re-deliveries (or copies of its own mail), quarantined (with the
   * newest reasons), and how many of the imported ones are flagged.
   */
  async intakeCounts(mailboxIds: string[]): Promise<Map<string, IntakeCounts>> {
    const counts = new Map<string, IntakeCounts>();
    if (mailboxIds.length === 0) return counts;
    const rows = await this.dataSource.query<{ mailbox_id: string; imported: number; skipped: number; quarantined: number; flagged: number }[]>(
      `SELECT r.mailbox_id,
              count(*) FILTER (WHERE r.outcome = 'imported')::int AS imported,
              count(*) FILTER (WHERE r.outcome IN ('redelivery', 'own'))::int AS skipped,
              count(*) FILTER (WHERE r.outcome = 'quarantined')::int AS quarantined,
              count(m.id) FILTER (WHERE cardinality(m.flags) > 0 AND NOT m.flags <@ ARRAY['auto_reply','bulk']::text[])::int AS flagged
         FROM mail_receipts r
         JOIN mailbox_syncs s ON s.mailbox_id = r.mailbox_id AND s.folder = r.folder AND s.uid_validity = r.uid_validity
         LEFT JOIN messages m ON m.id = r.message_id
        WHERE r.mailbox_id = ANY($1::uuid[])
        GROUP BY r.mailbox_id`,
      [mailboxIds],
    );
    const quarantine = await this.dataSource.query<{ mailbox_id: string; uid: string; reason: string | null; created_at: Date }[]>(
      `SELECT mailbox_id, uid, reason, created_at FROM (
         SELECT r.*, row_number() OVER (PARTITION BY r.mailbox_id ORDER BY r.created_at DESC) AS n FROM mail_receipts r
          WHERE r.mailbox_id = ANY($1::uuid[]) AND r.outcome = 'quarantined') newest
        WHERE n <= $2 ORDER BY created_at DESC`,
      [mailboxIds, QUARANTINE_SHOWN],
    );
    for (const row of rows) counts.set(row.mailbox_id, { imported: row.imported, skipped: row.skipped, quarantined: row.quarantined, flagged: row.flagged, quarantine: [] });
    for (const row of quarantine) counts.get(row.mailbox_id)?.quarantine.push({ uid: row.uid, reason: row.reason ?? '', at: new Date(row.created_at).toISOString() });
    return counts;
  }

  private column(property: string): string {
    return property.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
  }
}
