import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { TagModel } from '../suggest/tag-suggester';

/** A trained suggestion model; the newest row is the one in use, so every instance suggests alike. */
@Entity('tag_models')
@Index('tag_models_trained_idx', ['trainedAt'])
export class TagModelRecord {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'jsonb' })
  model: TagModel;

  /** Tickets it learned from. */
  @Column({ type: 'integer' })
  examples: number;

  @Column({ type: 'timestamptz' })
  trainedAt: Date;
}
