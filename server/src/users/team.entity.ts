import { Column, CreateDateColumn, Entity, Index, ManyToMany, PrimaryGeneratedColumn, type Relation } from 'typeorm';
import { User } from './user.entity';

@Entity('teams')
@Index('teams_name_key', ['name'], { unique: true })
export class Team {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  /** A private team's tickets are visible only to its members (and leads/admins). */
  @Column({ type: 'boolean', default: false })
  isPrivate: boolean;

  @ManyToMany(() => User, (user) => user.teams, { onDelete: 'CASCADE' })
  members: Relation<User[]>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
