import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { SlaSummaryDto, SlaTargetKind } from '../../../contracts/sla';

/**
 * The SLA badge of each ticket in a list: its most pressing open target (the running one due first, else a
 * paused one). Provided to the tickets module, which cannot import the SLA module (that one depends on it).
 */
@Injectable()
export class SlaSummaryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async summaries(ticketIds: string[], now: Date): Promise<Map<string, SlaSummaryDto>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ ticketId: string; kind: SlaTargetKind; dueAt: Date | null; breachedAt: Date | null; remainingMinutes: number }[]>(
      `SELECT DISTINCT ON (ticket_id) ticket_id AS "ticketId", kind, due_at AS "dueAt", breached_at AS "breachedAt",
              GREATEST(target_minutes - spent_minutes, 0) AS "remainingMinutes"
       FROM sla_targets WHERE ticket_id = ANY($1::uuid[]) AND achieved_at IS NULL
       ORDER BY ticket_id, due_at ASC NULLS LAST, target_minutes - spent_minutes`,
      [ticketIds],
    );
    return new Map(
      rows.map((row) => {
        const breached = row.breachedAt !== null || (row.dueAt !== null ? row.dueAt <= now : row.remainingMinutes <= 0);
        const state = breached ? 'breached' : row.dueAt ? 'active' : 'paused';
        return [row.ticketId, { kind: row.kind, state, dueAt: row.dueAt?.toISOString() ?? null, remainingMinutes: row.remainingMinutes }];
      }),
    );
  }
}
