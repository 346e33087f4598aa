import { Body, Controller, Get, HttpCode, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  MarkNotificationsReadSchema,
  NotificationPreferencesSchema,
  NotificationQuerySchema,
  type NotificationListDto,
  type NotificationPreferences,
} from '../../../contracts/notifications';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { NotificationsService } from './notifications.service';

class NotificationQueryDto extends createZodDto(NotificationQuerySchema) {}
class MarkReadDto extends createZodDto(MarkNotificationsReadSchema) {}
class PreferencesDto extends createZodDto(NotificationPreferencesSchema) {}

/** Everyone reads and marks only their own notifications and choices. */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get()
  list(@Query() query: NotificationQueryDto, @CurrentUser() user: AuthUser): Promise<NotificationListDto> {
    return this.notifications.list(user.id, query.unread ?? false, query.limit);
  }

  @Post('read')
  @HttpCode(204)
  markRead(@Body() body: MarkReadDto, @CurrentUser() user: AuthUser): Promise<void> {
    return this.notifications.markRead(user.id, body.ids);
  }

  @Get('preferences')
  preferences(@CurrentUser() user: AuthUser): Promise<NotificationPreferences> {
    return this.notifications.preferences(user.id);
  }

  @Put('preferences')
  updatePreferences(@Body() body: PreferencesDto, @CurrentUser() user: AuthUser): Promise<NotificationPreferences> {
    return this.notifications.updatePreferences(user.id, body);
  }
}
