import { Module } from '@nestjs/common';
import { OutboxModule } from '../outbox/outbox.module';
import { TicketsModule } from '../tickets/tickets.module';
import { ReportDayRollupRepository } from './report-day-rollup.repository';
import { ReportExportService } from './report-export.service';
import { ReportFigures } from './report-figures.service';
import { ReportRecut } from './report-recut.service';
import { ReportRollupRepository } from './report-rollup.repository';
import { ReportRollupService } from './report-rollup.service';
import { ReportsController } from './reports.controller';
import { ReportsListener } from './reports.listener';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';
import { SurveysModule } from './surveys/surveys.module';

/** Service reports: rollups kept by a listener, the report API with drill-downs and CSV, and the surveys. */
@Module({
  imports: [SurveysModule, OutboxModule, TicketsModule],
  controllers: [ReportsController],
  providers: [ReportDayRollupRepository, ReportFigures, ReportRecut, ReportRollupRepository, ReportRollupService, ReportsListener, ReportsRepository, ReportsService, ReportExportService],
})
export class ReportsModule {}
