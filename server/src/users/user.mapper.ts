import type { TeamDto, UserDto, UserStatus } from '../../../contracts/api';
import type { Team } from './team.entity';
import type { User } from './user.entity';

/** The one place a user leaves the server: never with its password hash. */
export function toUserDto(user: User): UserDto {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    role: user.role,
    availability: user.availability,
    capacity: user.capacity,
    isActive: user.isActive,
    status: userStatus(user),
    teamIds: (user.teams ?? []).map((team) => team.id),
    signature: user.signature,
    timeZone: user.timeZone,
    createdAt: user.createdAt.toISOString(),
  };
}

export function userStatus(user: Pick<User, 'isActive' | 'invitedAt' | 'passwordSetAt'>): UserStatus {
  if (!user.isActive) return 'deactivated';
  return user.invitedAt && !user.passwordSetAt ? 'invited' : 'active';
}

export function toTeamDto(team: Team): TeamDto {
  return { id: team.id, name: team.name, isPrivate: team.isPrivate, memberIds: (team.members ?? []).map((member) => member.id) };
}
