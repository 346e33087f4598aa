import { CanActivate, ExecutionContext, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../../../contracts/domain';
import { DomainError, ForbiddenError } from '../common/errors';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { BODY_TYPES, CROSS_SITE, IS_PUBLIC, ROLES_KEY, SESSION_COOKIE, type AuthenticatedRequest, type Credential } from './auth.decorators';
import { bodyMediaType, originVerdict, SAFE_METHODS } from './request-origin';

const JSON_ONLY = ['application/json'];

class UnsupportedBodyError extends DomainError {
  constructor(accepted: string[]) {
    super('unsupported_media_type', `This endpoint takes ${accepted.join(' or ')} bodies`, 415, [{ field: '(body)', message: `must be ${accepted.join(' or ')}` }]);
  }
}

/**
 * The session token of a request: an `Authorization: Bearer` header (scripts), else the httpOnly cookie.
 * The header comes first: no other site can make a browser send it, so a request carrying it is never forged.
 */
export function sessionCredential(request: { headers: Record<string, string | string[] | undefined>; cookies?: Record<string, string> }): { token: string; via: Credential } | null {
  const bearer = bearerToken(request.headers);
  if (bearer) return { token: bearer, via: 'bearer' };
  const cookie = request.cookies?.[SESSION_COOKIE];
  return cookie ? { token: cookie, via: 'cookie' } : null;
}

export function bearerToken(headers: Record<string, string | string[] | undefined>): string | null {
  const header = headers.authorization;
  return typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() || null : null;
}

export function sessionToken(request: Parameters<typeof sessionCredential>[0]): string | null {
  return sessionCredential(request)?.token ?? null;
}

/**
 * Global guard. On every state-changing request it refuses forgery first (see the README's Security section):
 * a cookie-authenticated request must come from Careloop's own origin, a public one must not come from
 * another site, and a body must be JSON unless the endpoint takes more. Then every endpoint needs a session
 * unless marked @Public(), and @Roles() narrows who may call it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    const request = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (!SAFE_METHODS.has(request.method)) this.refuseForgery(request, targets);
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;

    const user = request.user;
    if (!user) throw new UnauthorizedException('Log in first');
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && user.role !== 'admin' && !roles.includes(user.role)) {
      throw new ForbiddenError(`This needs one of the roles: ${['admin', ...roles].join(', ')}`);
    }
    return true;
  }

  private refuseForgery(request: AuthenticatedRequest, targets: Parameters<Reflector['getAllAndOverride']>[1]): void {
    if (!this.reflector.getAllAndOverride<boolean>(CROSS_SITE, targets)) {
      const verdict = originVerdict(this.config, request.headers);
      const forged = request.credential === 'cookie' ? verdict !== 'same-origin' : request.credential === undefined && verdict === 'cross-origin';
      if (forged) throw new ForbiddenError('Cross-site request refused: send it from Careloop itself, or authenticate with a bearer token');
    }
    const accepted = this.reflector.getAllAndOverride<string[] | undefined>(BODY_TYPES, targets) ?? JSON_ONLY;
    const mediaType = bodyMediaType(request.headers);
    if (mediaType !== null && !accepted.includes(mediaType)) throw new UnsupportedBodyError(accepted);
  }
}
