import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Request, Response } from 'express';
import { randomUUID } from 'node:crypto';
import { ZodValidationException } from 'nestjs-zod';
import { ZodError } from 'zod';
import type { ApiErrorDto } from '../../../contracts/api';
import { DomainError } from './errors';

/** Every error leaves as `{ statusCode, error, message, fields?, correlationId }`; unknown ones as a bare 500. */
@Catch()
export class HttpExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const request = http.getRequest<Request>();
    const correlationId = (request.headers['x-correlation-id'] as string | undefined)?.slice(0, 100) ?? randomUUID();
    const body = this.toBody(exception, correlationId);
    if (body.statusCode >= 500) {
      this.logger.error(`${request.method} ${request.path} failed [${correlationId}]`, exception instanceof Error ? exception.stack : String(exception));
    }
    response.status(body.statusCode).json(body);
  }

  private toBody(exception: unknown, correlationId: string): ApiErrorDto {
    if (exception instanceof ZodValidationException) {
      const zodError = exception.getZodError();
      const fields = zodError instanceof ZodError ? zodError.issues.map((issue) => ({ field: issue.path.join('.') || '(body)', message: issue.message })) : [];
      const message = fields.length ? fields.map((f) => `${f.field}: ${f.message}`).join('; ') : 'Invalid request';
      return { statusCode: 400, error: 'Bad Request', message, fields, correlationId };
    }
    if (exception instanceof DomainError) {
      return { ...exception.details, statusCode: exception.status, error: exception.code, message: exception.message, fields: exception.fields, correlationId };
    }
    if (exception instanceof HttpException) {
      const status = exception.getStatus();
      const response = exception.getResponse();
      const message = typeof response === 'string' ? response : ((response as { message?: string | string[] }).message ?? exception.message);
      return { statusCode: status, error: HttpStatus[status] ?? 'Error', message: Array.isArray(message) ? message.join('; ') : message, correlationId };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'Something went wrong on our side', correlationId };
  }
}
