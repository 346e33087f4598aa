import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Mailbox } from './mailbox.entity';

/**
 * imported: stored as a message · redelivery: the same message again (same Message-ID and content, or the
 * same UID) · own: a copy of mail Careloop sent · quarantined: could not be stored at all, see `reason`.
 */
export type ReceiptOutcome = 'imported' | 'redelivery' | 'own' | 'quarantined';

/**
 * One row per IMAP message Careloop has taken in, skipped as a re-delivery, or quarantined. Unique per
 * UID, so a message is never imported twice; kept when its ticket is deleted, so deleted mail does not return.
 */
@Entity('mail_receipts')
@Index('mail_receipts_uid_key', ['mailboxId', 'folder', 'uidValidity', 'uid'], { unique: true })
@Index('mail_receipts_message_id_idx', ['mailboxId', 'messageIdHeader'])
@Index('mail_receipts_content_hash_idx', ['mailboxId', 'contentHash'])
export class MailReceipt {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  mailboxId: string;

  @ManyToOne(() => Mailbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox>;

  @Column({ type: 'text' })
  folder: string;

  @Column({ type: 'bigint' })
  uidValidity: string;

  @Column({ type: 'bigint' })
  uid: string;

  @Column({ type: 'text', nullable: true })
  messageIdHeader: string | null;

  /** The message it became; null when skipped as a duplicate or its ticket was deleted. */
  @Column({ type: 'uuid', nullable: true })
  messageId: string | null;

  @Column({ type: 'text' })
  outcome: ReceiptOutcome;

  /** SHA-256 of the message without its trace headers: the same mail delivered again hashes the same. */
  @Column({ type: 'text', nullable: true })
  contentHash: string | null;

  /** Why a message was quarantined. */
  @Column({ type: 'text', nullable: true })
  reason: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
