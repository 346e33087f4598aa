import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Message } from './message.entity';

/**
 * Attachment bytes live in PostgreSQL so every instance behind a load balancer serves them
 * without a shared file system.
 */
@Entity('attachments')
@Index('attachments_message_idx', ['messageId'])
export class Attachment {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  messageId: string;

  @ManyToOne(() => Message, (message) => message.attachments, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'message_id' })
  message: Relation<Message>;

  @Column({ type: 'text' })
  filename: string;

  @Column({ type: 'text' })
  contentType: string;

  @Column({ type: 'integer' })
  size: number;

  /** Content-ID for inline `cid:` images. */
  @Column({ type: 'text', nullable: true })
  contentId: string | null;

  @Column({ type: 'boolean', default: false })
  inline: boolean;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
