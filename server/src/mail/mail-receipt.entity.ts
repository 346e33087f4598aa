import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Mailbox } from './mailbox.entity';

/**
 * One row per IMAP message Careloop has taken in (or deliberately skipped). Unique per UID, so a
 * message is never imported twice; kept when its ticket is deleted, so deleted mail does not return.
 */
@Entity('mail_receipts')
@Index('mail_receipts_uid_key', ['mailboxId', 'folder', 'uidValidity', 'uid'], { unique: true })
@Index('mail_receipts_message_id_idx', ['mailboxId', 'messageIdHeader'])
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

  /** imported | duplicate | own (a copy of mail Careloop sent) */
  @Column({ type: 'text' })
  outcome: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
