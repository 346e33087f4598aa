import { createParamDecorator, ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Request } from 'express';
import type { Role } from '../../../contracts/domain';

/** Who is calling: resolved once per request, before its body is read (session.middleware.ts). */
export interface AuthUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  teamIds: string[];
}

/** How the caller proved who they are: the browser's session cookie, or an `Authorization: Bearer` header. */
export type Credential = 'cookie' | 'bearer';

/** `user` and `credential` are set before the body is read (see session.middleware.ts) for a live session only. */
export type AuthenticatedRequest = Request & { user?: AuthUser; credential?: Credential };

export const IS_PUBLIC = 'careloop:public';
export const ROLES_KEY = 'careloop:roles';
export const CROSS_SITE = 'careloop:cross-site';
export const BODY_TYPES = 'careloop:body-types';

/** An endpoint anyone may call (login, health). Everything else requires a session. */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/**
 * An endpoint other sites call by design (a shop's webhook, a mail provider's one-click unsubscribe): it
 * authenticates by a signature or a token in the URL, never by the session, so the origin check is skipped.
 */
export const CrossSite = () => SetMetadata(CROSS_SITE, true);

/** The body media types an endpoint takes; without it, only `application/json`. */
export const AcceptsBody = (...mediaTypes: string[]) => SetMetadata(BODY_TYPES, mediaTypes);

/** Restricts an endpoint to these roles; admins always pass. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);

export const CurrentUser = createParamDecorator((_data: unknown, context: ExecutionContext): AuthUser => {
  const user = context.switchToHttp().getRequest<AuthenticatedRequest>().user;
  if (!user) throw new Error('CurrentUser used on a public endpoint');
  return user;
});

export const SESSION_COOKIE = 'careloop_session';
