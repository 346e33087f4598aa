import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { SessionDto } from '../../../contracts/api';
import { Clock } from '../common/clock';
import { DomainError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { toUserDto } from '../users/user.mapper';
import { UserRepository } from '../users/user.repository';
import type { AuthUser } from './auth.decorators';
import { verifyPassword } from './password';
import { SessionRepository } from './session.repository';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'Email or password is incorrect', 401);
  }
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

@Injectable()
export class AuthService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<SessionDto> {
    const user = await this.users.findByEmailWithPassword(email);
    const valid = await verifyPassword(user?.isActive ? user.passwordHash : null, password);
    if (!user || !valid) throw new InvalidCredentialsError();

    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.now().getTime() + this.config.sessionHours * 3_600_000);
    await this.sessions.create(user.id, hashToken(token), expiresAt);
    return { user: toUserDto(user), token, expiresAt: expiresAt.toISOString() };
  }

  async logout(token: string): Promise<void> {
    await this.sessions.deleteByTokenHash(hashToken(token));
  }

  /** The user behind a session token, or null when the token is unknown, expired or the user deactivated. */
  async authenticate(token: string): Promise<AuthUser | null> {
    const session = await this.sessions.findLive(hashToken(token), this.clock.now());
    if (!session) return null;
    const { user } = session;
    return { id: user.id, email: user.email, name: user.name, role: user.role, teamIds: user.teams.map((team) => team.id) };
  }
}
