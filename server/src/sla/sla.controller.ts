import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { createZodDto } from 'nestjs-zod';
import {
  CreateCalendarSchema,
  CreatePolicySchema,
  ReorderPoliciesSchema,
  SlaReportQuerySchema,
  UpdateCalendarSchema,
  UpdatePolicySchema,
  type CalendarDto,
  type SlaPolicyDto,
  type SlaReportDto,
  type TicketSlaDto,
} from '../../../contracts/sla';
import { CurrentUser, Roles, type AuthUser } from '../auth/auth.decorators';
import { SlaPoliciesService } from './sla-policies.service';
import { SlaReportsService } from './sla-reports.service';

class CreatePolicyDto extends createZodDto(CreatePolicySchema) {}
class UpdatePolicyDto extends createZodDto(UpdatePolicySchema) {}
class ReorderPoliciesDto extends createZodDto(ReorderPoliciesSchema) {}
class CreateCalendarDto extends createZodDto(CreateCalendarSchema) {}
class UpdateCalendarDto extends createZodDto(UpdateCalendarSchema) {}
class SlaReportQueryDto extends createZodDto(SlaReportQuerySchema) {}

/** SLA settings: everyone reads them, leads and admins change them. */
@ApiTags('sla')
@Controller('sla')
export class SlaController {
  constructor(
    private readonly policies: SlaPoliciesService,
    private readonly reports: SlaReportsService,
  ) {}

  @Get('policies')
  listPolicies(): Promise<SlaPolicyDto[]> {
    return this.policies.listPolicies();
  }

  @Roles('lead')
  @Post('policies')
  createPolicy(@Body() body: CreatePolicyDto): Promise<SlaPolicyDto> {
    return this.policies.createPolicy(body);
  }

  @Roles('lead')
  @Put('policies/order')
  reorderPolicies(@Body() body: ReorderPoliciesDto): Promise<SlaPolicyDto[]> {
    return this.policies.reorderPolicies(body.policyIds);
  }

  @Roles('lead')
  @Patch('policies/:id')
  updatePolicy(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdatePolicyDto): Promise<SlaPolicyDto> {
    return this.policies.updatePolicy(id, body);
  }

  @Roles('lead')
  @Delete('policies/:id')
  @HttpCode(204)
  deletePolicy(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.policies.deletePolicy(id);
  }

  @Get('calendars')
  listCalendars(): Promise<CalendarDto[]> {
    return this.policies.listCalendars();
  }

  @Roles('lead')
  @Post('calendars')
  createCalendar(@Body() body: CreateCalendarDto): Promise<CalendarDto> {
    return this.policies.createCalendar(body);
  }

  @Roles('lead')
  @Patch('calendars/:id')
  updateCalendar(@Param('id', ParseUUIDPipe) id: string, @Body() body: UpdateCalendarDto): Promise<CalendarDto> {
    return this.policies.updateCalendar(id, body);
  }

  @Roles('lead')
  @Delete('calendars/:id')
  @HttpCode(204)
  deleteCalendar(@Param('id', ParseUUIDPipe) id: string): Promise<void> {
    return this.policies.deleteCalendar(id);
  }

  /** Share of targets met, per policy, team, agent or day, over a period. */
  @Roles('lead')
  @Get('report')
  report(@Query() query: SlaReportQueryDto): Promise<SlaReportDto> {
    return this.reports.report(new Date(query.from), new Date(query.to), query.groupBy);
  }
}

/** A ticket's SLA targets, beside the ticket routes. */
@ApiTags('sla')
@Controller('tickets')
export class TicketSlaController {
  constructor(private readonly reports: SlaReportsService) {}

  @Get(':id/sla')
  ticketSla(@Param('id', ParseUUIDPipe) id: string, @CurrentUser() user: AuthUser): Promise<TicketSlaDto> {
    return this.reports.ticketSla(id, user);
  }
}
