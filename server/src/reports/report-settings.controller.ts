import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import { UpdateReportSettingsSchema, type ReportSettingsDto } from '../../../contracts/reports';
import { Roles } from '../auth/auth.decorators';
import { ReportSettingsService, toReportSettingsDto } from './report-settings.service';

class UpdateReportSettingsDto extends createZodDto(UpdateReportSettingsSchema) {}

@ApiTags('reports')
@Controller('reports/settings')
export class ReportSettingsController {
  constructor(private readonly settings: ReportSettingsService) {}

  /** Everyone signed in reads them (the reports page cuts periods in the workspace's zone). */
  @Get()
  async get(): Promise<ReportSettingsDto> {
    const settings = await this.settings.get();
    return toReportSettingsDto(settings, await this.settings.recutting(settings));
  }

  @Roles('lead')
  @Patch()
  update(@Body() body: UpdateReportSettingsDto): Promise<ReportSettingsDto> {
    return this.settings.update(body);
  }
}
