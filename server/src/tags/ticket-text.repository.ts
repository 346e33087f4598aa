import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { TaggedText } from './suggest/tag-suggester';
import { suggestionText, type TicketText } from './ticket-text';

const FIRST_INBOUND_BODY = `(SELECT m.body_text FROM messages m WHERE m.ticket_id = t.id AND m.direction = 'inbound' ORDER BY m.created_at, m.id LIMIT 1)`;

/** Reads tickets' text for suggestions and clusters, and the team's tagging history for training. */
@Injectable()
export class TicketTextRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async textsOf(ticketIds: string[]): Promise<TicketText[]> {
    const rows = await this.dataSource.query<{ id: string; subject: string; body: string | null }[]>(
      `SELECT t.id, t.subject, ${FIRST_INBOUND_BODY} AS body FROM tickets t WHERE t.id = ANY($1::uuid[])`,
      [ticketIds],
    );
    const byId = new Map(rows.map((row) => [row.id, { ticketId: row.id, subject: row.subject, body: row.body }]));
    return ticketIds.flatMap((ticketId) => byId.get(ticketId) ?? []);
  }

  /**
   * The newest `limit` tickets that teach something, labelled by tag id (so renames do not orphan a model): tagged
   * tickets, tickets with rejected suggestions, and finished untagged tickets ("nothing fits"). Open untagged tickets
   * are left out: they may simply not be tagged yet.
   */
  async trainingExamples(limit: number): Promise<TaggedText[]> {
    const rows = await this.dataSource.query<{ id: string; subject: string; body: string | null; tags: string[]; rejected: string[] }[]>(
      `SELECT t.id, t.subject, ${FIRST_INBOUND_BODY} AS body,
              ARRAY(SELECT tt.tag_id::text FROM ticket_tags tt WHERE tt.ticket_id = t.id) AS tags,
              ARRAY(SELECT s.tag_id::text FROM ticket_tag_suggestions s WHERE s.ticket_id = t.id AND s.state = 'rejected') AS rejected
         FROM tickets t
        WHERE t.status IN ('solved', 'closed')
           OR EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id)
           OR EXISTS (SELECT 1 FROM ticket_tag_suggestions s WHERE s.ticket_id = t.id AND s.state = 'rejected')
        ORDER BY t.created_at DESC
        LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({ text: suggestionText({ ticketId: row.id, subject: row.subject, body: row.body }), tags: row.tags, rejectedTags: row.rejected }));
  }
}
