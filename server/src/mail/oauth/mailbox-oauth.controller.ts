import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { StartOAuthSchema, type OAuthProviderStatusDto, type StartOAuthDto } from '../../../../contracts/mail';
import { Public, Roles } from '../../auth/auth.decorators';
import { APP_CONFIG, type AppConfig } from '../../config/config';
import { ConsentFailedError, MailboxOAuthService, parseProvider } from './mailbox-oauth.service';

class StartOAuthBody extends createZodDto(StartOAuthSchema) {}

/** Holds the sealed state and PKCE verifier between the Connect click and the provider's redirect back. */
const PENDING_COOKIE = 'careloop_oauth';
const COOKIE_PATH = '/api/mailboxes/oauth';

@ApiTags('mailboxes')
@Roles('admin')
@Controller('mailboxes/oauth')
export class MailboxOAuthController {
  constructor(
    private readonly oauth: MailboxOAuthService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Which providers this server can connect, and the variables to set for the others. */
  @Get('providers')
  providers(): OAuthProviderStatusDto[] {
    return this.oauth.providers();
  }

  @Post(':provider/start')
  @HttpCode(200)
  async start(@Param('provider') provider: string, @Body() body: StartOAuthBody, @Res({ passthrough: true }) response: Response): Promise<StartOAuthDto> {
    const { authorizationUrl, pending } = await this.oauth.start(parseProvider(provider), body);
    // Lax: the provider's redirect back is a top-level navigation, which carries it.
    response.cookie(PENDING_COOKIE, pending, { httpOnly: true, sameSite: 'lax', secure: this.config.publicUrl.startsWith('https:'), path: COOKIE_PATH, maxAge: 10 * 60_000 });
    return { authorizationUrl };
  }

  /**
   * The provider sends the browser back here. Public because only the sealed cookie, set for the admin who
   * clicked Connect in this browser, makes it do anything; the answer is a redirect to the Mailboxes page.
   */
  @Public()
  @Get('callback')
  async callback(@Req() request: Request, @Res() response: Response): Promise<void> {
    const query = new URLSearchParams(request.url.split('?')[1] ?? '');
    const pending = (request.cookies as Record<string, string | undefined>)[PENDING_COOKIE];
    response.clearCookie(PENDING_COOKIE, { path: COOKIE_PATH });
    const page = new URLSearchParams();
    try {
      const connected = await this.oauth.complete(query, pending);
      page.set('oauth', 'connected');
      page.set('mailbox', connected.mailboxId);
      if (connected.warning) page.set('message', connected.warning);
    } catch (error) {
      if (!(error instanceof ConsentFailedError)) throw error;
      page.set('oauth', 'failed');
      page.set('message', error.message);
    }
    response.redirect(303, `${this.config.publicUrl}/#/mailboxes?${page.toString()}`);
  }
}
