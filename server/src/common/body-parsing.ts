import type { INestApplication, RawBodyRequest } from '@nestjs/common';
import express, { type ErrorRequestHandler, type RequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiErrorDto } from '../../../contracts/api';
import type { AuthenticatedRequest } from '../auth/auth.decorators';

/** JSON body limits: anonymous callers (login, webhooks) send little, so a large body is refused unread. */
export const BODY_LIMITS = { anonymous: '64kb', signedIn: '2mb' } as const;
/** Where the survey page posts its form (server/src/reports/surveys/surveys.controller.ts). */
const SURVEY_ANSWER_PATH = '/api/surveys';

/**
 * JSON bodies are parsed here rather than by Nest's built-in parser so that a malformed body gets the
 * API's own 400 answer before any other middleware (the static client) can turn it into a 404. It runs
 * after the session is resolved (session.middleware.ts) so the limit depends on who is calling. Only JSON
 * is parsed, and the survey page's form: other forms are never read (the AuthGuard refuses them), uploads are read by multer after the guard.
 */
export function useBodyParsing(app: INestApplication): void {
  // The raw bytes stay on the request (`rawBody`) so webhooks can check an HMAC signature over exactly what was sent.
  const keepRawBody = (request: RawBodyRequest<IncomingMessage>, _response: unknown, body: Buffer) => (request.rawBody = body);
  const anonymous = express.json({ limit: BODY_LIMITS.anonymous, verify: keepRawBody });
  const signedIn = express.json({ limit: BODY_LIMITS.signedIn, verify: keepRawBody });
  const json: RequestHandler = (request: AuthenticatedRequest, response, next) => (request.user ? signedIn : anonymous)(request, response, next);
  app.use(json);
  // The one form Careloop reads: a customer's answer on its own survey page (same origin; the guard still checks that).
  app.use(SURVEY_ANSWER_PATH, express.urlencoded({ extended: false, limit: BODY_LIMITS.anonymous }));
  const badBody: ErrorRequestHandler = (error: { type?: string; limit?: number }, _request, response, next) => {
    if (error.type === 'entity.parse.failed' || error.type === 'entity.too.large') {
      const tooLarge = error.type === 'entity.too.large';
      const body: ApiErrorDto = {
        statusCode: tooLarge ? 413 : 400,
        error: tooLarge ? 'Payload Too Large' : 'Bad Request',
        message: tooLarge ? `The request body is larger than ${error.limit ?? 'allowed'} bytes` : 'The request body is not valid JSON',
        fields: [{ field: '(body)', message: tooLarge ? 'too large' : 'invalid JSON' }],
        correlationId: randomUUID(),
      };
      response.status(body.statusCode).json(body);
      return;
    }
    next(error);
  };
  app.use(badBody);
}
