import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { EventPipelineHealthDto, RetryDeadLettersDto } from '../../../contracts/system';
import { Roles } from '../auth/auth.decorators';
import { SystemService } from './system.service';

/** The event pipeline's health, for admins. */
@ApiTags('system')
@Roles('admin')
@Controller('system/events')
export class SystemController {
  constructor(private readonly system: SystemService) {}

  @Get()
  health(): Promise<EventPipelineHealthDto> {
    return this.system.eventHealth();
  }

  @Post('listeners/:name/retry')
  @HttpCode(200)
  retry(@Param('name') name: string): Promise<RetryDeadLettersDto> {
    return this.system.retryDeadLetters(name);
  }
}
