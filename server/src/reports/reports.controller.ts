import { Controller, Get, Param, ParseEnumPipe, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  REPORT_TABLES,
  ReportQuerySchema,
  ReportTicketPageQuerySchema,
  ReportTicketsQuerySchema,
  type AgentsReportDto,
  type OverviewDto,
  type ReportTable,
  type ReportTicketPageDto,
  type ReportTicketsDto,
  type ResolutionDto,
  type ResponseTimesDto,
  type SatisfactionReportDto,
  type SlaAchievementDto,
  type VolumeDto,
} from '../../../contracts/reports';
import { CurrentUser, type AuthUser } from '../auth/auth.decorators';
import { csvLine, TICKET_CSV_COLUMNS } from './report-csv';
import { ReportExportService } from './report-export.service';
import { ReportsService } from './reports.service';

class ReportQueryDto extends createZodDto(ReportQuerySchema) {}
class ReportTicketsQueryDto extends createZodDto(ReportTicketsQuerySchema) {}
class ReportTicketPageQueryDto extends createZodDto(ReportTicketPageQuerySchema) {}

/** Service reports for every signed-in role; what each role sees is decided in ReportsService (one rule). */
@ApiTags('reports')
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly exports: ReportExportService,
  ) {}

  @Get('overview')
  overview(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<OverviewDto> {
    return this.reports.overview(query, user);
  }

  @Get('volume')
  volume(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<VolumeDto> {
    return this.reports.volume(query, user);
  }

  @Get('response-times')
  responseTimes(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<ResponseTimesDto> {
    return this.reports.responseTimes(query, user);
  }

  @Get('resolution')
  resolution(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<ResolutionDto> {
    return this.reports.resolution(query, user);
  }

  @Get('sla')
  sla(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<SlaAchievementDto> {
    return this.reports.sla(query, user);
  }

  @Get('satisfaction')
  satisfaction(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<SatisfactionReportDto> {
    return this.reports.satisfaction(query, user);
  }

  @Get('agents')
  agents(@Query() query: ReportQueryDto, @CurrentUser() user: AuthUser): Promise<AgentsReportDto> {
    return this.reports.agents(query, user);
  }

  /** The tickets behind a number or a bar (drill-down). */
  @Get('tickets')
  tickets(@Query() query: ReportTicketsQueryDto, @CurrentUser() user: AuthUser): Promise<ReportTicketsDto> {
    return this.reports.tickets(query, user);
  }

  /** The same tickets, a page at a time, as inbox summaries: the drill-down's list in the inbox. */
  @Get('tickets/page')
  ticketPage(@Query() query: ReportTicketPageQueryDto, @CurrentUser() user: AuthUser): Promise<ReportTicketPageDto> {
    return this.reports.ticketPage(query, user);
  }

  /** A table as CSV; `tickets` streams one row per ticket created in the period, page by page (memory stays flat). */
  @Get('export/:table')
  async export(@Param('table', new ParseEnumPipe(REPORT_TABLES)) table: ReportTable, @Query() query: ReportQueryDto, @CurrentUser() user: AuthUser, @Res() response: Response): Promise<void> {
    const period = await this.reports.period(query);
    response.type('text/csv; charset=utf-8').attachment(`careloop-${table}-${period.dto.from}-to-${period.dto.to}.csv`);
    if (table !== 'tickets') {
      response.send(await this.exports.table(table, query, user));
      return;
    }
    response.write(csvLine(TICKET_CSV_COLUMNS.map((column) => column.header)));
    for await (const page of this.reports.ticketExport(query, user)) {
      const chunk = page.map((row) => csvLine(TICKET_CSV_COLUMNS.map((column) => column.value(row)))).join('');
      // Waits for the client to take what was written before reading the next page.
      if (!response.write(chunk)) await new Promise((resolve) => response.once('drain', resolve));
    }
    response.end();
  }
}
