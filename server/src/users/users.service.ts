import { Injectable } from '@nestjs/common';
import type { CreateTeamRequest, CreateUserRequest, TeamDto, UpdateTeamRequest, UpdateUserRequest, UserDto } from '../../../contracts/api';
import { DomainEvents } from '../common/domain-events';
import { ConflictError, DomainError, InvalidFieldError, NotFoundError } from '../common/errors';
import { hashPassword, verifyPassword } from '../auth/password';
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
    private readonly events: DomainEvents,
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
      teams,
    });
    return this.get(user.id);
  }

  /** `caller` changing their own password must give the current one (a borrowed session must not take the account over). */
  async update(id: string, input: UpdateUserRequest, caller: { id: string }): Promise<UserDto> {
    const user = await this.require(id);
    const { password, currentPassword, teamIds, ...fields } = input;
    if (password && caller.id === id) await this.requirePassword(user.email, currentPassword);
    const changes: Partial<User> = { id: user.id, ...fields };
    if (password) changes.passwordHash = await hashPassword(password);
    if (teamIds) changes.teams = await this.requireTeams(teamIds);
    await this.users.save(changes);
    // A new password or a deactivation ends every session of that user.
    if (password || input.isActive === false) await this.sessions.deleteForUser(id);
    // Routing listens: an agent who becomes available or gains capacity takes tickets from the team queue.
    this.events.emit('user.updated', { userId: id, changed: Object.keys(input).filter((field) => field !== 'currentPassword') });
    return this.get(id);
  }

  private async requirePassword(email: string, currentPassword: string | undefined): Promise<void> {
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
    await this.users.saveTeam(changes);
    // Whoever joined or left has other teams now: routing and their live connection (rooms) follow.
    const previous = new Set(before.memberIds);
    const moved = memberIds ? [...new Set([...memberIds.filter((userId) => !previous.has(userId)), ...before.memberIds.filter((userId) => !memberIds.includes(userId))])] : [];
    for (const userId of moved) this.events.emit('user.updated', { userId, changed: ['teamIds'] });
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

  private async requireTeams(ids: string[]): Promise<Team[]> {
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
