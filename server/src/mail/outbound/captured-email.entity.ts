import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Mailbox } from '../mailbox.entity';

/** One header line of a captured email, in the order it was written. */
export interface CapturedHeader {
  name: string;
  value: string;
}

/**
 * An email a demo mailbox would have sent: kept here, with its envelope and headers, instead of going to an
 * SMTP server, so a newcomer can try replying in the demo workspace without one.
 */
@Entity('captured_emails')
@Index('captured_emails_created_at_idx', ['createdAt'])
export class CapturedEmail {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  mailboxId: string;

  @ManyToOne(() => Mailbox, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox>;

  /** The SMTP envelope: who it would have gone to (To and Cc). */
  @Column({ type: 'text' })
  envelopeFrom: string;

  @Column({ type: 'text', array: true })
  envelopeTo: string[];

  @Column({ type: 'text' })
  subject: string;

  @Column({ type: 'jsonb' })
  headers: CapturedHeader[];

  @Column({ type: 'text' })
  bodyText: string;

  @Column({ type: 'integer' })
  size: number;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
