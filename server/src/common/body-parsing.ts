import type { INestApplication, RawBodyRequest } from '@nestjs/common';
import express, { type ErrorRequestHandler } from 'express';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { ApiErrorDto } from '../../../contracts/api';

/**
 * JSON bodies are parsed here rather than by Nest's built-in parser so that a malformed body gets the
 * API's own 400 answer before any other middleware (the static client) can turn it into a 404.
 */
export function useBodyParsing(app: INestApplication, limit: string): void {
  // The raw bytes stay on the request (`rawBody`) so webhooks can check an HMAC signature over exactly what was sent.
  const keepRawBody = (request: RawBodyRequest<IncomingMessage>, _response: unknown, body: Buffer) => (request.rawBody = body);
  app.use(express.json({ limit, verify: keepRawBody }), express.urlencoded({ extended: false, limit }));
  const badBody: ErrorRequestHandler = (error: { type?: string; status?: number }, _request, response, next) => {
    if (error.type === 'entity.parse.failed' || error.type === 'entity.too.large') {
      const tooLarge = error.type === 'entity.too.large';
      const body: ApiErrorDto = {
        statusCode: tooLarge ? 413 : 400,
        error: tooLarge ? 'Payload Too Large' : 'Bad Request',
        message: tooLarge ? `The request body is larger than ${limit}` : 'The request body is not valid JSON',
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
