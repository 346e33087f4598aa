import { Injectable } from '@nestjs/common';
import type { CreateTeamRequest, CreateUserRequest, TeamDto, UpdateTeamRequest, UpdateUserRequest, UserDto } from '../../../contracts/api';
import { ConflictError, DomainError, InvalidFieldError, NotFoundError } from '../common/errors';
import type { AuthUser } from '../auth/auth.decorators';
import { hashPassword, verifyPassword } from '../auth/password';
import { Clock } from '../common/clock';
import { OutboxService } from '../outbox/outbox.service';
import { SessionRepository } from '../auth/session.repository';
import type { Team } from './team.entity';
import type { User } from './user.entity';
import { toTeamDto, toUserDto } from './user.mapper';
import { UserRepository } from './user.repository';

type CreateUser = Required<Pick<CreateUserRequest, 'email' | 'name' | 'role' | 'password'>> & { capacity?: number; teamIds?: string[] };

@Injectable()
export class UsersService {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: SessionRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<UserDto[]> {
    return (await this.users.findAll()).map(toUserDto);
  }

  async get(id: string): Promise<UserDto> {
    return toUserDto(await this.require(id));
  }

  async create(input: CreateUser): Promise<UserDto> {
    if (await this.users.findByEmailWithPassword(input.email)) throw new ConflictError(`A user with email ${input.email} already exists`);
    const teams = await this.requireTeams(input.teamIds ?? []);
    const user = await this.users.save({
      email: input.email.toLowerCase(),
      name: input.name,
      role: input.role,
      capacity: input.capacity ?? 20,
      passwordHash: await hashPassword(input.password),
      passwordSetAt: this.clock.now(),
      teams,
    });
    return this.get(user.id);
  }

  /**
   * Changes a person. Changing one's own password needs the current one. A new password or a deactivation
   * ends every session of that person in the same transaction; `user.updated` (recorded with the change)
   * tells routing (availability, and a deactivated person's tickets go back to their teams) and realtime
   * (their sockets reconnect with their new rooms, or not at all).
   */
  async update(id: string, input: UpdateUserRequest, caller: AuthUser): Promise<UserDto> {
    const user = await this.require(id);
    const { password, currentPassword, teamIds, ...fields } = input;
    if (id === caller.id && input.isActive === false) throw new InvalidFieldError('isActive', 'you cannot deactivate yourself');
    if (password && id === caller.id) await this.checkCurrentPassword(user.email, currentPassword);
    const changes: Partial<User> = { id: user.id, ...fields };
    if (password) Object.assign(changes, { passwordHash: await hashPassword(password), passwordSetAt: this.clock.now() });
    if (teamIds) changes.teams = await this.requireTeams(teamIds);
    const changed = Object.keys(input).filter((field) => field !== 'currentPassword');
    await this.outbox.transaction(async (manager, raise) => {
      await this.users.save(changes, manager);
      if (password || input.isActive === false) await this.sessions.deleteForUser(id, manager);
      raise({ name: 'user.updated', payload: { userId: id, changed } });
    });
    return this.get(id);
  }

  /** A borrowed session must not take the account over: one's own password changes only with the current one. */
  private async checkCurrentPassword(email: string, currentPassword: string | undefined): Promise<void> {
    const stored = await this.users.findByEmailWithPassword(email);
    if (!currentPassword || !(await verifyPassword(stored?.passwordHash ?? null, currentPassword))) {
      throw new DomainError('current_password_required', 'Give your current password to change it', 403, [{ field: 'currentPassword', message: 'is missing or wrong' }]);
    }
  }

  async listTeams(): Promise<TeamDto[]> {
    return (await this.users.findTeams()).map(toTeamDto);
  }

  async createTeam(input: CreateTeamRequest): Promise<TeamDto> {
    const members = await this.requireUsers(input.memberIds ?? []);
    const team = await this.users.saveTeam({ name: input.name, isPrivate: input.isPrivate ?? false, members });
    return this.getTeam(team.id);
  }

  async updateTeam(id: string, input: UpdateTeamRequest): Promise<TeamDto> {
    const before = await this.getTeam(id);
    const { memberIds, ...fields } = input;
    const changes: Partial<Team> = { id, ...fields };
    if (memberIds) changes.members = await this.requireUsers(memberIds);
    // Whoever joined or left has other teams now: routing and their live connection (rooms) follow.
    const previous = new Set(before.memberIds);
    const moved = memberIds ? [...new Set([...memberIds.filter((userId) => !previous.has(userId)), ...before.memberIds.filter((userId) => !memberIds.includes(userId))])] : [];
    // A team turned private: its tickets leave the live views of everyone outside it.
    const changed = (Object.keys(fields) as (keyof typeof fields)[]).filter((field) => fields[field] !== undefined && fields[field] !== before[field]);
    await this.outbox.transaction(async (manager, raise) => {
      await this.users.saveTeam(changes, manager);
      for (const userId of moved) raise({ name: 'user.updated', payload: { userId, changed: ['teamIds'] } });
      if (changed.length) raise({ name: 'team.updated', payload: { teamId: id, changed } });
    });
    return this.getTeam(id);
  }

  async deleteTeam(id: string): Promise<void> {
    if (!(await this.users.deleteTeam(id))) throw new NotFoundError('Team');
  }

  private async getTeam(id: string): Promise<TeamDto> {
    const team = await this.users.findTeam(id);
    if (!team) throw new NotFoundError('Team');
    return toTeamDto(team);
  }

  private async require(id: string): Promise<User> {
    const user = await this.users.findById(id);
    if (!user) throw new NotFoundError('User');
    return user;
  }

  async requireTeams(ids: string[]): Promise<Team[]> {
    const teams = await this.users.findTeams(ids);
    const missing = ids.filter((id) => !teams.some((team) => team.id === id));
    if (missing.length) throw new InvalidFieldError('teamIds', `unknown team ${missing.join(', ')}`);
    return teams;
  }

  private async requireUsers(ids: string[]): Promise<User[]> {
    const found = await this.users.existsIds(ids);
    const missing = ids.filter((id) => !found.includes(id));
    if (missing.length) throw new InvalidFieldError('memberIds', `unknown user ${missing.join(', ')}`);
    return found.map((id) => ({ id }) as User);
  }
}
