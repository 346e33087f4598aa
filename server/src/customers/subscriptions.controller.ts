import { Body, Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { SubscriptionEventSchema, type SubscriptionEventResultDto, type WebhookSecretDto, type WebhookSecretStatusDto } from '../../../contracts/customers';
import { CrossSite, Public, Roles } from '../auth/auth.decorators';
import { SubscriptionsService } from './subscriptions.service';
import { SubscriptionWebhookGuard } from './subscription-webhook.guard';

class SubscriptionEventDto extends createZodDto(SubscriptionEventSchema) {}

@ApiTags('subscriptions')
@Controller('subscriptions')
export class SubscriptionsController {
  constructor(private readonly subscriptions: SubscriptionsService) {}

  /** The commerce platform's webhook: no session, authenticated by the workspace secret (HMAC signature or bearer) before the body is validated. */
  @Public()
  @CrossSite()
  @UseGuards(SubscriptionWebhookGuard)
  @Post('events')
  @HttpCode(200)
  receive(@Body() body: SubscriptionEventDto): Promise<SubscriptionEventResultDto> {
    return this.subscriptions.receive(body);
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
