import { Body, Controller, Get, HttpCode, Inject, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { ThrottlerGuard } from '@nestjs/throttler';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { AcceptInvitationSchema, LoginSchema, type InvitationPreviewDto, type SessionDto, type UserDto } from '../../../contracts/api';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { UsersService } from '../users/users.service';
import { CurrentUser, Public, SESSION_COOKIE, type AuthenticatedRequest, type AuthUser } from './auth.decorators';
import { sessionToken } from './auth.guard';
import { AuthService } from './auth.service';
import { InvitationsService } from './invitations.service';

class LoginDto extends createZodDto(LoginSchema) {}
class AcceptInvitationDto extends createZodDto(AcceptInvitationSchema) {}
class InvitationQueryDto extends createZodDto(z.object({ token: z.string().min(1).max(2000) })) {}

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly users: UsersService,
    private readonly invitations: InvitationsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('login')
  @HttpCode(200)
  async login(@Body() body: LoginDto, @Res({ passthrough: true }) response: Response): Promise<SessionDto> {
    return this.withCookie(response, await this.auth.login(body.email, body.password));
  }

  /** What the set-password page shows for an invitation link (410 when it expired, was used or replaced). */
  @Public()
  @Get('invitation')
  invitation(@Query() query: InvitationQueryDto): Promise<InvitationPreviewDto> {
    return this.invitations.preview(query.token);
  }

  /** Following an invitation: chooses the password and signs in. */
  @Public()
  @UseGuards(ThrottlerGuard)
  @Post('invitation')
  @HttpCode(200)
  async acceptInvitation(@Body() body: AcceptInvitationDto, @Res({ passthrough: true }) response: Response): Promise<SessionDto> {
    return this.withCookie(response, await this.invitations.accept(body.token, body.password));
  }

  private withCookie(response: Response, session: SessionDto): SessionDto {
    response.cookie(SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: 'lax',
      secure: this.config.env === 'production' && this.config.trustProxy,
      expires: new Date(session.expiresAt),
      path: '/',
    });
    return session;
  }

  @Public()
  @Post('logout')
  @HttpCode(204)
  async logout(@Req() request: AuthenticatedRequest, @Res({ passthrough: true }) response: Response): Promise<void> {
    const token = sessionToken(request);
    if (token) await this.auth.logout(token);
    response.clearCookie(SESSION_COOKIE, { path: '/' });
  }

  @Get('me')
  me(@CurrentUser() user: AuthUser): Promise<UserDto> {
    return this.users.get(user.id);
  }
}
