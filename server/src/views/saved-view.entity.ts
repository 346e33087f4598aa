import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { ViewFilter } from '../../../contracts/views';
import { User } from '../users/user.entity';

/** A named ticket-list filter: personal to its owner, or shared with everyone. */
@Entity('saved_views')
@Index('saved_views_owner_idx', ['ownerId'])
export class SavedView {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** Validated against ViewFilterSchema on the way in. */
  @Column({ type: 'jsonb' })
  filter: ViewFilter;

  @Column({ type: 'boolean', default: false })
  shared: boolean;

  @Column({ type: 'uuid' })
  ownerId: string;

  @ManyToOne(() => User, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'owner_id' })
  owner: Relation<User>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
