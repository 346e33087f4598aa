import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TicketRepository } from './ticket.repository';

/** Messages folded into the search index per transaction: one statement's worth of text, a short hold on the tickets. */
const BATCH = 500;

/**
 * A ticket's search vector is its subject (weight A, kept by a trigger on tickets) and the words of its messages
 * (weight B). New messages are queued by a trigger on messages (migration SearchIndexQueue) and folded in here,
 * after their import has committed: a message is searchable milliseconds after it is stored, not within the
 * import's transaction.
 */
@Injectable()
export class SearchIndexRepository {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly tickets: TicketRepository,
  ) {}

  /** Folds every queued message into its ticket's vector; returns how many were indexed. */
  async indexQueued(): Promise<number> {
    let indexed = 0;
    for (;;) {
      // SKIP LOCKED: another process (or lane) folding the same queue takes other messages instead of waiting.
      const taken = await this.fold(
        `DELETE FROM search_index_queue q WHERE q.message_id IN (SELECT message_id FROM search_index_queue LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`,
        [],
      );
      indexed += taken;
      if (taken < BATCH) return indexed;
    }
  }

  /**
   * Folds the queued messages of these tickets in now, for a reader that must see their words (linking tickets to
   * care initiatives by their text). Waits for a fold that holds some of them, which has indexed them once it ends.
   */
  async indexTickets(ticketIds: string[]): Promise<void> {
    if (ticketIds.length === 0) return;
    await this.fold(
      'DELETE FROM search_index_queue q USING messages m WHERE q.message_id = m.id AND m.ticket_id = ANY($1::uuid[])',
      [ticketIds],
    );
  }

  /**
   * Takes queued messages off the queue with `take` (a DELETE of queue rows, aliased q) and adds their words to their
   * tickets, in one transaction: a message leaves the queue exactly when its words are in, so a repeated or
   * failed fold neither doubles nor loses them.
   */
  private fold(take: string, parameters: unknown[]): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const taken = await manager.query<{ message_id: string; ticket_id: string | null }[]>(
        `WITH taken AS (${take} RETURNING q.message_id) SELECT taken.message_id, m.ticket_id FROM taken LEFT JOIN messages m ON m.id = taken.message_id`,
        parameters,
      );
      if (taken.length === 0) return 0;
      // Tickets are locked before their words are added, as a merge locks them before moving messages: a merge
      // either ends first (the UPDATE below then reads the messages' new ticket) or waits for this fold.
      await this.tickets.lockInIdOrder([...new Set(taken.flatMap((row) => (row.ticket_id ? [row.ticket_id] : [])))], manager);
      const messageIds = taken.map((row) => row.message_id);
      await manager.query(
        `UPDATE tickets t SET search_vector = coalesce(t.search_vector, ''::tsvector) || added.vector
         FROM (
           SELECT ticket_id, setweight(to_tsvector('english', string_agg(
             left(coalesce(from_address, '') || ' ' || coalesce(from_name, '') || ' ' || coalesce(body_text, ''), 20000), ' ' ORDER BY created_at, id)), 'B') AS vector
           FROM messages WHERE id = ANY($1::uuid[]) GROUP BY ticket_id
         ) added
         WHERE t.id = added.ticket_id`,
        [messageIds],
      );
      return taken.length;
    });
  }
}
