import { Column, CreateDateColumn, Entity, Index, JoinTable, ManyToMany, PrimaryGeneratedColumn, type Relation, UpdateDateColumn } from 'typeorm';
import { AVAILABILITIES, ROLES, type Availability, type Role } from '../../../contracts/domain';
import type { NotificationPreferences } from '../../../contracts/notifications';
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

  /** Null until an invited person sets their password. */
  @Column({ type: 'text', nullable: true, select: false })
  passwordHash: string | null;

  /** When the latest invitation was issued: a newer one makes older links stop working. */
  @Column({ type: 'timestamptz', nullable: true })
  invitedAt: Date | null;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role', default: 'agent' })
  role: Role;

  @Column({ type: 'enum', enum: AVAILABILITIES, enumName: 'user_availability', default: 'offline' })
  availability: Availability;

  /** Open tickets this agent can hold before routing passes them over. */
  @Column({ type: 'integer', default: 20 })
  capacity: number;

  @Column({ type: 'boolean', default: true })
  isActive: boolean;

  /** When the person last chose their password; an invited person has none until they follow their link. */
  @Column({ type: 'timestamptz', nullable: true })
  passwordSetAt: Date | null;

  @Column({ type: 'text', default: '' })
  signature: string;

  @Column({ type: 'text', nullable: true })
  timeZone: string | null;

  @Column({ type: 'jsonb', default: () => "'{}'" })
  notificationPreferences: Partial<NotificationPreferences>;

  @ManyToMany(() => Team, (team) => team.members, { onDelete: 'CASCADE' })
  @JoinTable({ name: 'team_members', joinColumn: { name: 'user_id' }, inverseJoinColumn: { name: 'team_id' } })
  teams: Relation<Team[]>;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
