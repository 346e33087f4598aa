import { Injectable, Logger } from '@nestjs/common';
import { OutboxService } from '../outbox/outbox.service';
import { CALENDAR_HOURS } from '../sla/clock';
import { ticketFigures } from './report-metrics';
import { ReportRollupRepository } from './report-rollup.repository';

/** Tickets recomputed per statement batch when catching up on tickets the rollups have never seen. */
const BACKFILL_BATCH = 500;

/** Keeps the report rollups in step with tickets: recomputes a batch of tickets' rows from their messages and timeline. */
@Injectable()
export class ReportRollupService {
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly repository: ReportRollupRepository,
    private readonly outbox: OutboxService,
  ) {}

  async refresh(ticketIds: string[]): Promise<void> {
    const ids = [...new Set(ticketIds)];
    if (ids.length === 0) return;
    const input = await this.repository.load(ids);
    const rows = input.tickets.map((ticket) => ({
      ticket,
      figures: ticketFigures(ticket.createdAt, input.messages.get(ticket.id) ?? [], input.statusChanges.get(ticket.id) ?? [], input.calendars.get(ticket.id) ?? CALENDAR_HOURS, input.recorded),
    }));
    await this.outbox.transaction(async (manager, raise) => {
      await this.repository.save(rows, manager);
      raise({ name: 'reports.updated', payload: { ticketIds: ids } });
    });
  }

  async refreshAnswers(responseIds: string[]): Promise<void> {
    await this.refresh(await this.repository.ticketIdsOfAnswers(responseIds));
  }

  /** Gives every ticket the rollups have not seen (an install upgraded from before the reports) its rows. */
  async backfill(): Promise<number> {
    let done = 0;
    for (let ids = await this.repository.ticketsWithoutFacts(BACKFILL_BATCH); ids.length; ids = await this.repository.ticketsWithoutFacts(BACKFILL_BATCH)) {
      await this.refresh(ids);
      done += ids.length;
    }
    if (done) this.logger.log(`report figures computed for ${done} earlier tickets`);
    return done;
  }
}
