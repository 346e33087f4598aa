import type { LoginRequest, SessionDto, UserDto } from '../../../../../contracts/api';
import { api } from '../../../api/client';

export const authKeys = { me: ['auth', 'me'] as const };

export const login = (credentials: LoginRequest) => api.post<SessionDto>('/auth/login', credentials);
export const logout = () => api.post<void>('/auth/logout');
export const fetchCurrentUser = () => api.get<UserDto>('/auth/me');
