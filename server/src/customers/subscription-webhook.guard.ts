import { CanActivate, ExecutionContext, Injectable, type RawBodyRequest } from '@nestjs/common';
import type { Request } from 'express';
import { bearerToken } from '../auth/auth.guard';
import { SubscriptionsService } from './subscriptions.service';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from './webhook-signature';

const header = (request: Request, name: string) => {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
};

/** Checks the webhook's signature as a guard, so before the validation pipe reads the body's schema. */
@Injectable()
export class SubscriptionWebhookGuard implements CanActivate {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<RawBodyRequest<Request>>();
    await this.subscriptions.authenticate({
      rawBody: request.rawBody,
      signature: header(request, SIGNATURE_HEADER),
      timestamp: header(request, TIMESTAMP_HEADER),
      bearer: bearerToken(request.headers),
    });
    return true;
  }
}
