import { Body, Controller, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { InviteUserSchema, type InvitationDto } from '../../../contracts/api';
import { CurrentUser, Roles, type AuthUser } from './auth.decorators';
import { InvitationsService } from './invitations.service';

class InviteUserDto extends createZodDto(InviteUserSchema) {}

@ApiTags('users')
@Roles('admin')
@Controller('invitations')
export class InvitationsController {
  constructor(private readonly invitations: InvitationsService) {}

  @Post()
  invite(@Body() body: InviteUserDto, @CurrentUser() admin: AuthUser): Promise<InvitationDto> {
    return this.invitations.invite(body, admin.name);
  }

  @Post(':userId/resend')
  resend(@Param('userId', ParseUUIDPipe) userId: string, @CurrentUser() admin: AuthUser): Promise<InvitationDto> {
    return this.invitations.resend(userId, admin.name);
  }
}
