import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn, type Relation } from 'typeorm';
import type { ExitGoal, JourneyStatus, JourneyStep, JourneyTrigger } from '../../../contracts/journeys';
import { Mailbox } from '../mail/mailbox.entity';
import { User } from '../users/user.entity';

/** A care journey: what starts it, its steps, and the goals that end it early. */
@Entity('journeys')
@Index('journeys_preset_key', ['presetKey'], { unique: true, where: 'preset_key IS NOT NULL' })
export class Journey {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column({ type: 'text' })
  name: string;

  @Column({ type: 'text', default: '' })
  description: string;

  /** The preset it was made from; one journey per preset. */
  @Column({ type: 'text', nullable: true })
  presetKey: string | null;

  @Column({ type: 'text', default: 'draft' })
  status: JourneyStatus;

  @Column({ type: 'jsonb' })
  trigger: JourneyTrigger;

  @Column({ type: 'jsonb' })
  steps: JourneyStep[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  exitGoals: ExitGoal[];

  @Column({ type: 'uuid', nullable: true })
  mailboxId: string | null;

  @ManyToOne(() => Mailbox, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'mailbox_id' })
  mailbox: Relation<Mailbox> | null;

  @Column({ type: 'text', nullable: true })
  fromName: string | null;

  @Column({ type: 'boolean', default: false })
  sendWhileTicketOpen: boolean;

  @Column({ type: 'uuid', nullable: true })
  ownerId: string | null;

  /** Percent of entering customers held out (no steps) to measure the journey against. */
  @Column({ type: 'integer', default: 0 })
  holdoutPercent: number;

  @ManyToOne(() => User, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'owner_id' })
  owner: Relation<User> | null;

  /** Set when switched on or resumed: scheduled triggers count occurrences from here, never from before. */
  @Column({ type: 'timestamptz', nullable: true })
  activatedAt: Date | null;

  /** How far the scheduled-trigger scan has looked (injected clock). */
  @Column({ type: 'timestamptz', nullable: true })
  scannedUntil: Date | null;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
