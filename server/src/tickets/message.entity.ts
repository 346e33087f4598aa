import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import type { RawCut } from '../mail/parse/raw-attachments';
import {
  DELIVERY_STATES,
  MESSAGE_DIRECTIONS,
  type DeliveryState,
  type MessageDirection,
  type MessageFlag,
} from '../../../contracts/domain';
import { Mailbox } from '../mail/mailbox.entity';
import { User } from '../users/user.entity';
import { Attachment } from './attachment.entity';
import { Ticket } from './ticket.entity';

@Entity('messages')
@Index('messages_ticket_created_idx', ['ticketId', 'createdAt'])
/** Not unique: a different message may reuse a Message-ID (mail_receipts tells re-deliveries apart by content). */
@Index('messages_message_id_idx', ['messageId'])
export class Message {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  ticketId: string;

  @ManyToOne(() => Ticket, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'ticket_id' })
  ticket: Relation<Ticket>;

  @Column({ type: 'enum', enum: MESSAGE_DIRECTIONS, enumName: 'message_direction' })
  direction: MessageDirection;

  /** The agent who wrote an outbound message or a note. */
  @Column({ type: 'uuid', nullable: true })
  authorId: string | null;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'author_id' })
  author: Relation<User> | null;

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @ManyToOne(() => Mailbox, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox> | null;

  @Column({ type: 'text', nullable: true })
  fromAddress: string | null;

  @Column({ type: 'text', nullable: true })
  fromName: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  toAddresses: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  ccAddresses: string[];

  @Column({ type: 'text', nullable: true })
  subject: string | null;

  @Column({ type: 'text', nullable: true })
  bodyText: string | null;

  /** Already sanitised with an allowlist; the client still shows it in a sandboxed frame. */
  @Column({ type: 'text', nullable: true })
  bodyHtml: string | null;

  /** The RFC 5322 Message-ID, without angle brackets. */
  @Column({ type: 'text', nullable: true })
  messageId: string | null;

  @Column({ type: 'text', nullable: true })
  inReplyTo: string | null;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  references: string[];

  /**
   * The message as received or sent, kept so nothing is ever lost to a parser: exactly, once the attachment
   * bodies listed in rawSourceCuts are written back from their blobs (see joinRawSource).
   */
  @Column({ type: 'bytea', nullable: true, select: false })
  rawSource: Buffer | null;

  /** Attachment bodies cut out of rawSource because their blobs hold them; null when it is whole. */
  @Column({ type: 'jsonb', nullable: true, select: false })
  rawSourceCuts: RawCut[] | null;

  @Column({ type: 'enum', enum: DELIVERY_STATES, enumName: 'delivery_state', nullable: true })
  deliveryState: DeliveryState | null;

  @Column({ type: 'text', nullable: true })
  deliveryError: string | null;

  @Column({ type: 'timestamptz', nullable: true })
  sentAt: Date | null;

  /** Sent by Careloop itself (auto-reply, care journey): carries Auto-Submitted and never loops. */
  @Column({ type: 'boolean', default: false })
  automatic: boolean;

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  flags: MessageFlag[];

  /** What was unusual about an inbound message and what Careloop did about it, in words for the agent. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  intakeNotes: string[];

  /** Internal notes: the people @mentioned in it. */
  @Column({ type: 'uuid', array: true, default: () => "'{}'" })
  mentionIds: string[];

  @OneToMany(() => Attachment, (attachment) => attachment.message)
  attachments: Relation<Attachment[]>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
