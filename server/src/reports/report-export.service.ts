import { Injectable } from '@nestjs/common';
import type { ReportQuery, ReportTable } from '../../../contracts/reports';
import { BAD_RATING_REASON_LABELS } from '../../../contracts/surveys';
import type { AuthUser } from '../auth/auth.decorators';
import { csvTable } from './report-csv';
import { ReportsService } from './reports.service';

/** Each report table as CSV, with the same rows the API answers. */
@Injectable()
export class ReportExportService {
  constructor(private readonly reports: ReportsService) {}

  async table(table: Exclude<ReportTable, 'tickets'>, query: ReportQuery, viewer: AuthUser): Promise<string> {
    switch (table) {
      case 'volume': {
        const { days } = await this.reports.volume(query, viewer);
        return csvTable(
          [
            { header: 'day', value: (row) => row.day },
            { header: 'created', value: (row) => row.created },
            { header: 'solved', value: (row) => row.solved },
            { header: 'reopened', value: (row) => row.reopened },
            { header: 'backlog_end_of_day', value: (row) => row.backlog },
          ],
          days,
        );
      }
      case 'response-times': {
        const { days } = await this.reports.responseTimes(query, viewer);
        return csvTable(
          [
            { header: 'day', value: (row) => row.day },
            { header: 'first_replies', value: (row) => row.replies },
            { header: 'first_reply_median_seconds', value: (row) => row.firstReplyMedian },
            { header: 'first_reply_business_median_seconds', value: (row) => row.firstReplyBusinessMedian },
          ],
          days,
        );
      }
      case 'resolution': {
        const { days } = await this.reports.resolution(query, viewer);
        return csvTable(
          [
            { header: 'day', value: (row) => row.day },
            { header: 'solved', value: (row) => row.solved },
            { header: 'full_resolution_median_seconds', value: (row) => row.fullResolutionMedian },
            { header: 'one_touch_percent', value: (row) => row.oneTouchPercent },
          ],
          days,
        );
      }
      case 'sla': {
        const { kinds } = await this.reports.sla(query, viewer);
        return csvTable(
          [
            { header: 'target', value: (row) => row.kind },
            { header: 'decided', value: (row) => row.total },
            { header: 'met', value: (row) => row.met },
            { header: 'breached', value: (row) => row.breached },
            { header: 'percent_met', value: (row) => row.percentMet },
          ],
          kinds,
        );
      }
      case 'satisfaction': {
        const { list } = await this.reports.satisfaction(query, viewer);
        return csvTable(
          [
            { header: 'answered_at', value: (row) => row.answeredAt },
            { header: 'ticket_number', value: (row) => row.ticketNumber },
            { header: 'customer_email', value: (row) => row.customerEmail },
            { header: 'score', value: (row) => row.score },
            { header: 'good', value: (row) => row.good },
            { header: 'reason', value: (row) => (row.reason ? BAD_RATING_REASON_LABELS[row.reason] : null) },
            { header: 'comment', value: (row) => row.comment },
            { header: 'voided_at', value: (row) => row.voidedAt },
            { header: 'void_reason', value: (row) => row.voidReason },
          ],
          list,
        );
      }
      case 'agents': {
        const { rows, totals } = await this.reports.agents(query, viewer);
        return csvTable(
          [
            { header: 'agent', value: (row) => row.name },
            { header: 'solved', value: (row) => row.solved },
            { header: 'replies', value: (row) => row.replies },
            { header: 'first_reply_median_seconds', value: (row) => row.firstReplyMedian },
            { header: 'csat_percent', value: (row) => row.csatPercent },
            { header: 'csat_answers', value: (row) => row.csatAnswers },
            { header: 'one_touch_percent', value: (row) => row.oneTouchPercent },
          ],
          [...rows, totals],
        );
      }
    }
  }
}
