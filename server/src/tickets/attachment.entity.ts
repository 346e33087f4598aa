import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { AttachmentBlob } from './attachment-blob.entity';
import { Message } from './message.entity';

/** One file of a message; its bytes are in the blob of its content (AttachmentBlob), shared by every copy. */
@Entity('attachments')
@Index('attachments_message_idx', ['messageId'])
@Index('attachments_blob_idx', ['contentSha256'])
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

  @Column({ type: 'bytea' })
  contentSha256: Buffer;

  @ManyToOne(() => AttachmentBlob, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'content_sha256', referencedColumnName: 'sha256' })
  blob: Relation<AttachmentBlob>;

  /** The bytes, when a query asked for them (not a column: they are the blob's). */
  content?: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
