import type { TagDto, TeamDto, UserDto } from '../../../../../contracts/api';
import { api } from '../../../api/client';

export const workspaceKeys = {
  users: ['users'] as const,
  teams: ['teams'] as const,
  tags: ['tags'] as const,
};

export const fetchUsers = () => api.get<UserDto[]>('/users');
export const fetchTeams = () => api.get<TeamDto[]>('/teams');
export const fetchTags = () => api.get<TagDto[]>('/tags');
