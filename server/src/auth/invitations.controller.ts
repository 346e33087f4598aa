import { Body, Controller, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { createZodDto } from 'nestjs-zod';
import { InviteUserSchema, type InvitationDto } from '../../../contracts/api';
import { CurrentUser, Roles, type AuthUser } from './auth.decorators';
import { InvitationsService } from './invitations.service';

class InviteUserDto extends createZodDto(InviteUserSchema) {}

/** The address the admin's browser reached Careloop at: invitation links point there unless CARELOOP_PUBLIC_URL says otherwise. */
function requestOrigin(request: Request): string {
  const origin = request.get('origin');
  return origin && origin !== 'null' ? origin : `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

@ApiTags('users')
@Roles('admin')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  invite(@Body() body: InviteUserDto, @Req() request: Request, @CurrentUser() admin: AuthUser): Promise<InvitationDto> {
    return this.invitations.invite(body, requestOrigin(request), admin.name);
  }

  @Post(':userId/resend')
  resend(@Param('userId', ParseUUIDPipe) userId: string, @Req() request: Request, @CurrentUser() admin: AuthUser): Promise<InvitationDto> {
    return this.invitations.resend(userId, requestOrigin(request), admin.name);
  }
}
