import type { RequestHandler } from 'express';
import type { AuthenticatedRequest } from './auth.decorators';
import { sessionCredential } from './auth.guard';
import type { AuthService } from './auth.service';

/**
 * Resolves the caller's session before the body is read, so that the body limit can depend on it: an
 * anonymous caller gets a small one (see body-parsing.ts). The AuthGuard then decides on `request.user`.
 */
export function resolveSession(auth: AuthService): RequestHandler {
  return (request: AuthenticatedRequest, _response, next) => {
    const credential = sessionCredential(request);
    if (!credential) return next();
    auth.authenticate(credential.token).then((user) => {
      if (user) {
        request.user = user;
        request.credential = credential.via;
      }
      next();
    }, next);
  };
}
