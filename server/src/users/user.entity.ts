import { Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { AVAILABILITIES, ROLES, type Availability, type Role } from '../../../contracts/domain';
import { Team } from './team.entity';

@Entity('users')
@Index('users_email_key', ['email'], { unique: true })
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Stored lower-cased; the API lower-cases input. */
  @Column({ type: 'text' })
  email: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', select: false })
  passwordHash: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role', default: 'agent' })
  role: Role;

  @Column({ type: 'enum', enum: AVAILABILITIES, enumName: 'user_availability', default: 'offline' })
  availability: Availability;

  /** Open tickets this agent can hold before routing passes them over. */
  @Column({ type: 'integer', default: 20 })
  capacity: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  @ManyToMany(() => Team, (team) => team.members, { onDelete: 'CASCADE' })
  @JoinTable({ name: 'team_members', joinColumn: { name: 'user_id' }, inverseJoinColumn: { name: 'team_id' } })
  teams: Relation<Team[]>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
