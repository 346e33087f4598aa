import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, LessThan, type EntityManager } from 'typeorm';
import { Session } from './session.entity';

@Injectable()
export class SessionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  private get sessions() {
    return this.dataSource.getRepository(Session);
  }

  create(userId: string, tokenHash: string, expiresAt: Date): Promise<Session> {
    return this.sessions.save({ userId, tokenHash, expiresAt });
  }

  /** The live session for a token hash, with its active user and their teams. */
  findLive(tokenHash: string, now: Date): Promise<Session | null> {
    return this.sessions
      .createQueryBuilder('session')
      .innerJoinAndSelect('session.user', 'user', 'user.isActive = true')
      .leftJoinAndSelect('user.teams', 'team')
      .where('session.tokenHash = :tokenHash', { tokenHash })
      .andWhere('session.expiresAt > :now', { now })
      .getOne();
  }

  async deleteByTokenHash(tokenHash: string): Promise<void> {
    await this.sessions.delete({ tokenHash });
  }

  async deleteForUser(userId: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    await manager.getRepository(Session).delete({ userId });
  }

  async deleteExpired(now: Date): Promise<void> {
    await this.sessions.delete({ expiresAt: LessThan(now) });
  }
}
