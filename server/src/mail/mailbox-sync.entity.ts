import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Mailbox } from './mailbox.entity';

/**
 * Per mailbox folder: the durable checkpoint (advanced in the same transaction as the imported mail)
 * and the health shown to admins.
 */
@Entity('mailbox_syncs')
export class MailboxSync {
  @PrimaryColumn({ type: 'uuid' })
  mailboxId: string;

  @ManyToOne(() => Mailbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox>;

  @PrimaryColumn({ type: 'text' })
  folder: string;

  @Column({ type: 'bigint', nullable: true })
  uidValidity: string | null;

  @Column({ type: 'bigint', default: 0 })
  lastUid: string;

  /** connecting | connected | error | disabled */
  @Column({ type: 'text', default: 'connecting' })
  state: string;

  /** A sentence for a person: "The IMAP server refused the username or password". */
  @Column({ type: 'text', nullable: true })
  lastError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastErrorAt: Date | null;

  @Column({ type: 'timestamptz', nullable: true })
  lastSyncAt: Date | null;

  /** Messages in the folder at the last sync, to compare with those imported. */
  @Column({ type: 'integer', nullable: true })
  folderMessages: number | null;

  /** Which instance holds the mailbox's lease. */
  @Column({ type: 'text', nullable: true })
  heldBy: string | null;

  @Column({ type: 'timestamptz', default: () => 'now()' })
  updatedAt: Date;
}
