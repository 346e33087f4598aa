import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { DomainEvent } from '../common/domain-events';
import { DomainEventListener } from '../outbox/event-listener';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ReportRollupService } from './report-rollup.service';

/**
 * Keeps the report rollups current: every ticket a batch of events touches is recomputed from its sources,
 * so a redelivered event recomputes the same rows (idempotent) and a batch costs one read per kind.
 */
@Injectable()
export class ReportsListener extends DomainEventListener implements OnApplicationBootstrap {
  readonly name = 'reports-rollup';
  readonly events = ['ticket.created', 'ticket.updated', 'message.created', 'satisfaction.recorded'] as const;
  private readonly logger = new Logger('Reports');

  constructor(
    private readonly rollups: ReportRollupService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    if (!this.config.workers) return;
    this.rollups.backfill().catch((error: unknown) => this.logger.error(`report backfill failed: ${(error as Error).message}`));
  }

  async handle(events: DomainEvent[]): Promise<void> {
    const ticketIds: string[] = [];
    const answerIds: string[] = [];
    for (const event of events) {
      if (event.name === 'satisfaction.recorded') answerIds.push(event.payload.responseId);
      else if (event.name === 'ticket.created' || event.name === 'ticket.updated' || event.name === 'message.created') ticketIds.push(event.payload.ticketId);
    }
    await this.rollups.refresh(ticketIds);
    if (answerIds.length) await this.rollups.refreshAnswers(answerIds);
  }
}
