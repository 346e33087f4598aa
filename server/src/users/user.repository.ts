import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager } from 'typeorm';
import { Team } from './team.entity';
import { User } from './user.entity';

/** The only code that queries users and teams. */
@Injectable()
export class UserRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private users(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(User);
  }

  private teams(manager: EntityManager = this.dataSource.manager) {
    return manager.getRepository(Team);
  }

  findAll(): Promise<User[]> {
    return this.users().find({ relations: { teams: true }, order: { name: 'ASC' } });
  }

  findById(id: string): Promise<User | null> {
    return this.users().findOne({ where: { id }, relations: { teams: true } });
  }

  findByIds(ids: string[]): Promise<User[]> {
    return ids.length ? this.users().find({ where: { id: In(ids) } }) : Promise.resolve([]);
  }

  /** Includes the password hash, which is otherwise never selected. */
  findByEmailWithPassword(email: string): Promise<User | null> {
    return this.users()
      .createQueryBuilder('user')
      .addSelect('user.passwordHash')
      .leftJoinAndSelect('user.teams', 'team')
      .where('user.email = :email', { email: email.toLowerCase() })
      .getOne();
  }

  count(): Promise<number> {
    return this.users().count();
  }

  async existsIds(ids: string[]): Promise<string[]> {
    if (ids.length === 0) return [];
    const found = await this.users().find({ where: { id: In(ids) }, select: { id: true } });
    return found.map((user) => user.id);
  }

  save(user: Partial<User>, manager?: EntityManager): Promise<User> {
    return this.users(manager).save(user);
  }

  findTeams(ids?: string[]): Promise<Team[]> {
    return this.teams().find({ where: ids ? { id: In(ids) } : {}, relations: { members: true }, order: { name: 'ASC' } });
  }

  findTeam(id: string): Promise<Team | null> {
    return this.teams().findOne({ where: { id }, relations: { members: true } });
  }

  saveTeam(team: Partial<Team>, manager?: EntityManager): Promise<Team> {
    return this.teams(manager).save(team);
  }

  async deleteTeam(id: string): Promise<boolean> {
    const result = await this.teams().delete({ id });
    return (result.affected ?? 0) > 0;
  }

  /** Ids of private teams, whose tickets only members (and leads/admins) may see. */
  async privateTeamIds(): Promise<string[]> {
    const rows = await this.teams().find({ where: { isPrivate: true }, select: { id: true } });
    return rows.map((team) => team.id);
  }
}
