import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createPerStatementSearch } from './1795327000000-MessageSearchPerStatement';

/**
 * A message's words reach its ticket's search vector after the commit instead of inside the INSERT: turning
 * bodies into a tsvector (about a millisecond a message) and rewriting the ticket rows took a quarter of import
 * time. The statement trigger now only queues the new messages' ids; the search-index listener
 * (server/src/tickets/search-index.listener.ts) folds them into their tickets' vectors in batches.
 */
export class SearchIndexQueue1795329430000 implements MigrationInterface {
  name = 'SearchIndexQueue1795329430000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // No foreign key: a queued message deleted meanwhile is simply not found when its turn comes.
    await queryRunner.query('CREATE TABLE search_index_queue (message_id uuid PRIMARY KEY)');
    await queryRunner.query('DROP TRIGGER messages_search ON messages');
    await queryRunner.query('DROP FUNCTION messages_search()');
    await queryRunner.query(`
      CREATE FUNCTION messages_queue_for_search() RETURNS trigger AS $$
      BEGIN
        INSERT INTO search_index_queue (message_id) SELECT id FROM inserted;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
    await queryRunner.query(
      'CREATE TRIGGER messages_queue_for_search AFTER INSERT ON messages REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION messages_queue_for_search()',
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_queue_for_search ON messages');
    await queryRunner.query('DROP FUNCTION messages_queue_for_search()');
    await createPerStatementSearch(queryRunner);
    // Queued words are folded in before the queue goes, so nothing waits on a listener that no longer exists.
    await queryRunner.query(`
      UPDATE tickets t SET search_vector = coalesce(t.search_vector, ''::tsvector) || added.vector
      FROM (
        SELECT m.ticket_id, setweight(to_tsvector('english', string_agg(
          left(coalesce(m.from_address, '') || ' ' || coalesce(m.from_name, '') || ' ' || coalesce(m.body_text, ''), 20000), ' ' ORDER BY m.created_at, m.id)), 'B') AS vector
        FROM search_index_queue q JOIN messages m ON m.id = q.message_id GROUP BY m.ticket_id
      ) added
      WHERE t.id = added.ticket_id`);
    await queryRunner.query('DROP TABLE search_index_queue');
  }
}
