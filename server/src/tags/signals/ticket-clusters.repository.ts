import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Trigram similarity (0..1) at which a ticket joins a cluster. Tuned on reworded reports of one problem, which score
 * 0.5-0.8, while unrelated tickets stay under 0.3.
 */
const JOIN_SIMILARITY = 0.45;

/** Clusters of similar tickets; it works inside the caller's transaction. */
@Injectable()
export class TicketClustersRepository {
  /**
   * Puts a ticket in the most similar cluster, or a new one, and counts it in cluster_daily_counts if untagged; a
   * ticket already placed stays where it is. Returns the cluster id. Runs in the caller's transaction.
   */
  async assign(ticketId: string, text: string, label: string, manager: EntityManager): Promise<string | null> {
    // One assignment at a time: two similar tickets arriving together must not found two clusters.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('careloop.ticket_clusters'))`);
    const [placed] = await manager.query<{ cluster_id: string }[]>('SELECT cluster_id FROM ticket_cluster_members WHERE ticket_id = $1', [ticketId]);
    if (placed) return placed.cluster_id;
    // The row lock orders this with a tagging in flight, so `tagged` below is what the ticket_tags trigger sees next.
    const [ticket] = await manager.query<{ day: string; first_cycle: boolean; tagged: boolean }[]>(
      `SELECT to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              coalesce(c.subscription_status = 'active' AND c.current_cycle = 1, false) AS first_cycle,
              EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id) AS tagged
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
        WHERE t.id = $1 FOR SHARE OF t`,
      [ticketId],
    );
    if (!ticket) return null;
    await manager.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(JOIN_SIMILARITY)]);
    const [nearest] = await manager.query<{ id: string }[]>(
      'SELECT id FROM ticket_clusters WHERE exemplar % $1 ORDER BY similarity(exemplar, $1) DESC, created_at LIMIT 1',
      [text],
    );
    const clusterId =
      nearest?.id ?? (await manager.query<{ id: string }[]>('INSERT INTO ticket_clusters (exemplar, label) VALUES ($1, $2) RETURNING id', [text, label]))[0].id;
    await manager.query('UPDATE ticket_clusters SET ticket_count = ticket_count + 1 WHERE id = $1', [clusterId]);
    await manager.query('INSERT INTO ticket_cluster_members (ticket_id, cluster_id, day, first_cycle, tagged) VALUES ($1, $2, $3, $4, $5)', [
      ticketId,
      clusterId,
      ticket.day,
      ticket.first_cycle,
      ticket.tagged,
    ]);
    if (!ticket.tagged) {
      await manager.query(
        `INSERT INTO cluster_daily_counts AS d (cluster_id, day, untagged_tickets, first_cycle_tickets, example_ticket_ids)
         VALUES ($1, $2, 1, $3, ARRAY[$4::uuid])
         ON CONFLICT (cluster_id, day) DO UPDATE
           SET untagged_tickets = d.untagged_tickets + 1,
               first_cycle_tickets = d.first_cycle_tickets + EXCLUDED.first_cycle_tickets,
               example_ticket_ids = (EXCLUDED.example_ticket_ids || d.example_ticket_ids)[1:3]`,
        [clusterId, ticket.day, ticket.first_cycle ? 1 : 0, ticketId],
      );
    }
    return clusterId;
  }
}
