import type {
  AcceptInvitationRequest,
  CreateTeamRequest,
  InvitationDto,
  InvitationPreviewDto,
  InviteUserRequest,
  SessionDto,
  TeamDto,
  UpdateTeamRequest,
  UpdateUserRequest,
  UserDto,
} from '../../../../../contracts/api';
import { api } from '../../../api/client';

export const inviteUser = (invitation: InviteUserRequest) => api.post<InvitationDto>('/invitations', invitation);
export const resendInvitation = (userId: string) => api.post<InvitationDto>(`/invitations/${userId}/resend`);
export const fetchInvitation = (token: string) => api.get<InvitationPreviewDto>('/auth/invitation', { token });
export const acceptInvitation = (request: AcceptInvitationRequest) => api.post<SessionDto>('/auth/invitation', request);
export const updateUser = (id: string, changes: UpdateUserRequest) => api.patch<UserDto>(`/users/${id}`, changes);
export const createTeam = (team: CreateTeamRequest) => api.post<TeamDto>('/teams', team);
export const updateTeam = (id: string, changes: UpdateTeamRequest) => api.patch<TeamDto>(`/teams/${id}`, changes);
export const deleteTeam = (id: string) => api.delete<void>(`/teams/${id}`);
