import { Body, Controller, Get, Header, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { UpdateCareSettingsSchema, type CareSettingsDto } from '../../../contracts/journeys';
import { AcceptsBody, CrossSite, Public, Roles } from '../auth/auth.decorators';
import { CareSettingsService, toCareSettingsDto } from './care-settings.service';
import { UnsubscribeService } from './unsubscribe.service';

class UpdateCareSettingsDto extends createZodDto(UpdateCareSettingsSchema) {}

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** A small self-contained page (the customer is not logged in, and the client app is not theirs). */
function page(title: string, text: string, withButton: boolean): string {
  const form = withButton ? '<form method="post"><button type="submit">Unsubscribe</button></form>' : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escape(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;color:#222}button{font-size:1rem;padding:.6rem 1.2rem}</style></head>
<body><h1>${escape(title)}</h1><p>${escape(text)}</p>${form}</body></html>`;
}

@ApiTags('care')
@Controller('care')
export class CareController {
  constructor(
    private readonly settings: CareSettingsService,
    private readonly unsubscribes: UnsubscribeService,
  ) {}

  @Roles('care_owner')
  @Get('settings')
  async getSettings(): Promise<CareSettingsDto> {
    return toCareSettingsDto(await this.settings.get());
  }

  @Roles('care_owner')
  @Patch('settings')
  updateSettings(@Body() body: UpdateCareSettingsDto): Promise<CareSettingsDto> {
    return this.settings.update(body);
  }

  /** The link in the email body: a confirmation page, so link scanners that open it unsubscribe nobody. */
  @Public()
  @Get('unsubscribe/:token')
  @Header('Content-Type', 'text/html; charset=utf-8')
  async confirmPage(@Param('token') token: string): Promise<string> {
    const address = await this.unsubscribes.addressOf(token);
    return page('Unsubscribe', `Stop care emails to ${address}?`, true);
  }

  /** RFC 8058 one-click (List-Unsubscribe-Post) and the confirmation page's button: honoured at once. */
  @Public()
  @CrossSite()
  @AcceptsBody('application/x-www-form-urlencoded')
  @Post('unsubscribe/:token')
  @HttpCode(200)
  @Header('Content-Type', 'text/html; charset=utf-8')
  async unsubscribe(@Param('token') token: string): Promise<string> {
    const address = await this.unsubscribes.unsubscribe(token);
    return page('You are unsubscribed', `${address} will get no more care emails from us. Replies to your tickets still reach you.`, false);
  }
}
