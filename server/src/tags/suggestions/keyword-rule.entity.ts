import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { Tag } from '../tag.entity';

/** A care owner's rule: a ticket whose text contains any of the keywords gets the tag suggested. */
@Entity('tag_keyword_rules')
@Index('tag_keyword_rules_tag_idx', ['tagId'])
export class KeywordRule {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'uuid' })
  tagId: string;

  @ManyToOne(() => Tag, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'tag_id' })
  tag: Relation<Tag>;

  @Column({ type: 'text', array: true })
  keywords: string[];

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
