import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { createZodDto } from 'nestjs-zod';
import {
  DrillDownQuerySchema,
  MetricsPeriodSchema,
  type ChurnDto,
  type CohortsDto,
  type Cycle1Dto,
  type DrillDownDto,
  type JourneyEffectsDto,
  type NpsDto,
  type TicketsPreventedDto,
} from '../../../../contracts/care-metrics';
import { CurrentUser, Roles, type AuthUser } from '../../auth/auth.decorators';
import { CareMetricsService } from './care-metrics.service';

class MetricsPeriodDto extends createZodDto(MetricsPeriodSchema) {}
class DrillDownQueryDto extends createZodDto(DrillDownQuerySchema) {}

/** The care dashboard's figures: for care owners and leads (and admins). */
@ApiTags('care')
@Roles('care_owner', 'lead')
@Controller('care/metrics')
export class CareMetricsController {
  constructor(private readonly metrics: CareMetricsService) {}

  @Get('churn')
  churn(@Query() query: MetricsPeriodDto): Promise<ChurnDto> {
    return this.metrics.churn(query);
  }

  @Get('cohorts')
  cohorts(@Query() query: MetricsPeriodDto): Promise<CohortsDto> {
    return this.metrics.cohorts(query);
  }

  @Get('cycle1')
  cycle1(@Query() query: MetricsPeriodDto): Promise<Cycle1Dto> {
    return this.metrics.cycle1(query);
  }

  @Get('nps')
  nps(@Query() query: MetricsPeriodDto): Promise<NpsDto> {
    return this.metrics.nps(query);
  }

  @Get('journeys')
  journeys(): Promise<JourneyEffectsDto> {
    return this.metrics.journeyEffects();
  }

  @Get('prevented')
  prevented(): Promise<TicketsPreventedDto> {
    return this.metrics.ticketsPrevented();
  }

  /** The customers (or tickets) behind a figure; `format=csv` downloads all of them. */
  @Get('drill-down')
  async drillDown(@Query() query: DrillDownQueryDto, @CurrentUser() user: AuthUser, @Res({ passthrough: true }) response: Response): Promise<DrillDownDto | string> {
    const result = await this.metrics.drillDown(query, user);
    if (typeof result === 'string') {
      response.setHeader('Content-Type', 'text/csv; charset=utf-8');
      response.setHeader('Content-Disposition', `attachment; filename="careloop-${query.figure}.csv"`);
    }
    return result;
  }
}
