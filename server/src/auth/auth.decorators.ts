import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../../../contracts/domain';

/** Who is calling: resolved once per request by the AuthGuard. */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
}

export type AuthenticatedRequest = Request & { user?: AuthUser };

export const IS_PUBLIC = 'careloop:public';
export const ROLES_KEY = 'careloop:roles';

/** An endpoint anyone may call (login, health). Everything else requires a session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts an endpoint to these roles; admins always pass. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public endpoint');
  return user;
});

export const SESSION_COOKIE = 'careloop_session';
