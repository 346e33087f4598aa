import { Column, Entity, JoinColumn, OneToOne, PrimaryColumn, type Relation } from 'typeorm';
import { Team } from '../users/team.entity';

/**
 * Per team, who got the last round-robin ticket. Its row is also the team's assignment lock: every pick
 * and every queue drain for the team runs while holding it (SELECT … FOR UPDATE), so concurrent
 * tickets never go to the same free slot twice.
 */
@Entity('team_routing_state')
export class TeamRoutingState {
  @PrimaryColumn({ type: 'uuid' })
  teamId: string;

  @OneToOne(() => Team, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'team_id' })
  team: Relation<Team>;

  @Column({ type: 'uuid', nullable: true })
  lastAssigneeId: string | null;
}
