import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/**
 * Attachment bytes, stored once per distinct content (the same logo in ten thousand signatures is one
 * row). Attachments point at their blob by SHA-256, and so do the cut-out bodies of raw sources
 * (Message.rawSourceCuts). They live in PostgreSQL so every instance serves them without a shared disk.
 */
@Entity('attachment_blobs')
export class AttachmentBlob {
  @PrimaryColumn({ type: 'bytea' })
  sha256: Buffer;

  @Column({ type: 'integer' })
  size: number;

  @Column({ type: 'bytea', select: false })
  content: Buffer;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
