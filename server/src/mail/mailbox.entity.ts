import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A shared mailbox. Passwords are stored sealed by SecretBox and never leave the server. */
@Entity('mailboxes')
@Index('mailboxes_address_key', ['address'], { unique: true })
export class Mailbox {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text' })
  address: string;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @Column({ type: 'text', nullable: true })
  imapHost: string | null;

  @Column({ type: 'integer', default: 993 })
  imapPort: number;

  @Column({ type: 'boolean', default: true })
  imapTls: boolean;

  @Column({ type: 'text', nullable: true })
  imapUser: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  imapPasswordSealed: string | null;

  @Column({ type: 'text', default: 'INBOX' })
  imapFolder: string;

  @Column({ type: 'text', nullable: true })
  smtpHost: string | null;

  @Column({ type: 'integer', default: 587 })
  smtpPort: number;

  /** true: implicit TLS (465); false: STARTTLS when offered. */
  @Column({ type: 'boolean', default: false })
  smtpTls: boolean;

  @Column({ type: 'text', nullable: true })
  smtpUser: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  smtpPasswordSealed: string | null;

  /** IMAP folder that receives a copy of every reply sent (e.g. "Sent"); null: no copy. */
  @Column({ type: 'text', nullable: true })
  sentFolder: string | null;

  /**
   * Replies carry a plus-addressed Reply-To (support+t1234@…) as a second thread marker; only for
   * providers that deliver plus addresses to the same mailbox.
   */
  @Column({ type: 'boolean', default: false })
  plusAddressing: boolean;

  /** A customer reply within this many days of solving reopens the ticket; later it opens a linked one. */
  @Column({ type: 'integer', default: 14 })
  reopenWindowDays: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
