import type { TagDto, TeamDto, UserDto } from '../../../../../contracts/api';
import type { MailboxOptionDto } from '../../../../../contracts/mail';
import { api } from '../../../api/client';

export const workspaceKeys = {
  users: ['users'] as const,
  teams: ['teams'] as const,
  tags: ['tags'] as const,
  mailboxes: ['mailboxes', 'options'] as const,
};

export const fetchUsers = () => api.get<UserDto[]>('/users');
export const fetchTeams = () => api.get<TeamDto[]>('/teams');
export const fetchTags = () => api.get<TagDto[]>('/tags');
export const fetchMailboxOptions = () => api.get<MailboxOptionDto[]>('/mailboxes/options');
