import { Body, Controller, Get, HttpCode, Post, Req } from '@nestjs/common';
import type { RawBodyRequest } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { SubscriptionEventSchema, type SubscriptionEventResultDto, type WebhookSecretDto, type WebhookSecretStatusDto } from '../../../contracts/customers';
import { CrossSite, Public, Roles } from '../auth/auth.decorators';
import { bearerToken } from '../auth/auth.guard';
import { SubscriptionsService } from './subscriptions.service';
import { SIGNATURE_HEADER } from './webhook-signature';

class SubscriptionEventDto extends createZodDto(SubscriptionEventSchema) {}

@ApiTags('subscriptions')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** The commerce platform's webhook: no session, authenticated by the workspace secret (HMAC signature or bearer). */
  @Public()
  @CrossSite()
  @Post('events')
  @HttpCode(200)
  receive(@Body() body: SubscriptionEventDto, @Req() request: RawBodyRequest<Request>): Promise<SubscriptionEventResultDto> {
    const signature = request.headers[SIGNATURE_HEADER];
    return this.subscriptions.receive(body, { rawBody: request.rawBody, signature: typeof signature === 'string' ? signature : undefined, bearer: bearerToken(request.headers) });
  }

  @Roles('care_owner')
  @Get('webhook-secret')
  secretStatus(): Promise<WebhookSecretStatusDto> {
    return this.subscriptions.secretStatus();
  }

  @Roles('care_owner')
  @Post('webhook-secret')
  rotateSecret(): Promise<WebhookSecretDto> {
    return this.subscriptions.rotateSecret();
  }
}
