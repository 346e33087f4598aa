import { CanActivate, ExecutionContext, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../../contracts/domain';
import { ForbiddenError } from '../common/errors';
import { IS_PUBLIC, ROLES_KEY, SESSION_COOKIE, type AuthenticatedRequest } from './auth.decorators';
import { AuthService } from './auth.service';

/** The session token from the httpOnly cookie, or from `Authorization: Bearer` for scripts. */
export function sessionToken(request: { headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string> }): string | null {
  const cookie = request.cookies?.[SESSION_COOKIE];
  if (cookie) return cookie;
  const header = request.headers.authorization;
  if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim() || null;
  return null;
}

/** Global guard: every endpoint needs a session unless marked @Public(), and @Roles() narrows who may call it. */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly auth: AuthService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const token = sessionToken(request);
    const user = token ? await this.auth.authenticate(token) : null;
    if (!user) throw new UnauthorizedException('Log in first');
    request.user = user;

    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && user.role !== 'admin' && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${['admin', ...roles].join(', ')}`);
    }
    return true;
  }
}
