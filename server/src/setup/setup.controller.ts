import { Controller, Get } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { SetupChecklistDto } from '../../../contracts/setup';
import { Roles } from '../auth/auth.decorators';
import { SetupService } from './setup.service';

@ApiTags('setup')
@Roles('admin')
@Controller('setup')
export class SetupController {
  constructor(private readonly setup: SetupService) {}

  @Get()
  checklist(): Promise<SetupChecklistDto> {
    return this.setup.checklist();
  }
}
