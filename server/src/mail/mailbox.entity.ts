import type { OAuthProvider } from '../../../contracts/mail';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A shared mailbox. Passwords and OAuth tokens are stored sealed by SecretBox and never leave the server. */
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

  /** A demo mailbox: what it sends is kept in the capture outbox (a page in the app), never handed to SMTP. */
  @Column({ type: 'boolean', default: false })
  captureOutbox: boolean;

  /** A customer reply within this many days of solving reopens the ticket; later it opens a linked one. */
  @Column({ type: 'integer', default: 14 })
  reopenWindowDays: number;

  /** Set when the mailbox signs in with OAuth2 (XOAUTH2) instead of passwords. */
  @Column({ type: 'text', nullable: true })
  oauthProvider: OAuthProvider | null;

  /** The account that consented; differs from the address for a shared mailbox. */
  @Column({ type: 'text', nullable: true })
  oauthAccount: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  oauthRefreshTokenSealed: string | null;

  @Column({ type: 'text', nullable: true, select: false })
  oauthAccessTokenSealed: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  oauthAccessTokenExpiresAt: Date | null;

  /** When the access token is renewed: well before it expires, so no login ever presents a stale one. */
  @Column({ type: 'timestamptz', nullable: true })
  oauthRefreshDueAt: Date | null;

  /** Why OAuth stopped working (consent revoked), in words; the mailbox waits for a Reconnect. */
  @Column({ type: 'text', nullable: true })
  oauthError: string | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
