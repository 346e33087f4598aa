import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

/**
 * Trigram similarity (0..1) at which a ticket joins a cluster. Tuned on reworded reports of one problem, which score
 * 0.5-0.8, while unrelated tickets stay under 0.3.
 */
const JOIN_SIMILARITY = 0.45;

/** A ticket to place: its normalised text (compared with the clusters' exemplars) and a label for a new cluster. */
export interface ClusterCandidate {
  ticketId: string;
  text: string;
  label: string;
}

/** Clusters of similar tickets; it works inside the caller's transaction. */
@Injectable()
export class TicketClustersRepository {
  /**
   * Puts each ticket in the most similar cluster, or a new one, and counts it in cluster_daily_counts if untagged; a
   * ticket already placed stays where it is. Returns the new placements. Runs in the caller's transaction.
   */
  async assign(tickets: ClusterCandidate[], manager: EntityManager): Promise<{ ticketId: string; clusterId: string }[]> {
    // One assignment at a time: two similar tickets arriving together must not found two clusters.
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('careloop.ticket_clusters'))`);
    // The row locks order this with a tagging in flight, so `tagged` below is what the ticket_tags trigger sees next.
    const facts = await manager.query<{ id: string; day: string; first_cycle: boolean; tagged: boolean }[]>(
      `SELECT t.id, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day,
              coalesce(c.subscription_status = 'active' AND c.current_cycle = 1, false) AS first_cycle,
              EXISTS (SELECT 1 FROM ticket_tags tt WHERE tt.ticket_id = t.id) AS tagged
         FROM tickets t LEFT JOIN customers c ON c.id = t.customer_id
        WHERE t.id = ANY($1::uuid[]) AND NOT EXISTS (SELECT 1 FROM ticket_cluster_members m WHERE m.ticket_id = t.id)
        ORDER BY t.id FOR SHARE OF t`,
      [tickets.map((ticket) => ticket.ticketId)],
    );
    if (facts.length === 0) return [];
    const factsById = new Map(facts.map((fact) => [fact.id, fact]));
    await manager.query(`SELECT set_config('pg_trgm.similarity_threshold', $1, true)`, [String(JOIN_SIMILARITY)]);
    const members: { ticketId: string; clusterId: string; day: string; firstCycle: boolean; tagged: boolean }[] = [];
    // One by one, in arrival order: a ticket may join the cluster the one before it founded.
    for (const { ticketId, text, label } of tickets) {
      const fact = factsById.get(ticketId);
      if (!fact) continue;
      const [nearest] = await manager.query<{ id: string }[]>(
        'SELECT id FROM ticket_clusters WHERE exemplar % $1 ORDER BY similarity(exemplar, $1) DESC, created_at LIMIT 1',
        [text],
      );
      const clusterId =
        nearest?.id ?? (await manager.query<{ id: string }[]>('INSERT INTO ticket_clusters (exemplar, label) VALUES ($1, $2) RETURNING id', [text, label]))[0].id;
      members.push({ ticketId, clusterId, day: fact.day, firstCycle: fact.first_cycle, tagged: fact.tagged });
    }
    const column = <K extends keyof (typeof members)[number]>(key: K, rows = members) => rows.map((member) => member[key]);
    await manager.query(
      `UPDATE ticket_clusters c SET ticket_count = c.ticket_count + n.added
         FROM (SELECT id, count(*)::int AS added FROM unnest($1::uuid[]) AS id GROUP BY id) n WHERE c.id = n.id`,
      [column('clusterId')],
    );
    await manager.query(
      `INSERT INTO ticket_cluster_members (ticket_id, cluster_id, day, first_cycle, tagged)
       SELECT * FROM unnest($1::uuid[], $2::uuid[], $3::date[], $4::boolean[], $5::boolean[])`,
      [column('ticketId'), column('clusterId'), column('day'), column('firstCycle'), column('tagged')],
    );
    const untagged = members.filter((member) => !member.tagged);
    if (untagged.length) {
      // Examples newest first: the batch's last arrivals, then the day's earlier ones.
      await manager.query(
        `INSERT INTO cluster_daily_counts AS d (cluster_id, day, untagged_tickets, first_cycle_tickets, example_ticket_ids)
         SELECT cluster_id, day, count(*), count(*) FILTER (WHERE first_cycle), (array_agg(ticket_id ORDER BY arrival DESC))[1:3]
           FROM unnest($1::uuid[], $2::date[], $3::boolean[], $4::uuid[]) WITH ORDINALITY AS m(cluster_id, day, first_cycle, ticket_id, arrival)
          GROUP BY cluster_id, day
         ON CONFLICT (cluster_id, day) DO UPDATE
           SET untagged_tickets = d.untagged_tickets + EXCLUDED.untagged_tickets,
               first_cycle_tickets = d.first_cycle_tickets + EXCLUDED.first_cycle_tickets,
               example_ticket_ids = (EXCLUDED.example_ticket_ids || d.example_ticket_ids)[1:3]`,
        [column('clusterId', untagged), column('day', untagged), column('firstCycle', untagged), column('ticketId', untagged)],
      );
    }
    return members.map(({ ticketId, clusterId }) => ({ ticketId, clusterId }));
  }
}
