import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The per-statement search trigger (SearchIndexQueue's down migration restores it). */
export async function createPerStatementSearch(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`
      CREATE OR REPLACE FUNCTION messages_search() RETURNS trigger AS $$
      BEGIN
        UPDATE tickets t SET search_vector = coalesce(t.search_vector, ''::tsvector) || added.vector
        FROM (
          SELECT ticket_id, setweight(to_tsvector('english', string_agg(
            left(coalesce(from_address, '') || ' ' || coalesce(from_name, '') || ' ' || coalesce(body_text, ''), 20000), ' ' ORDER BY created_at, id)), 'B') AS vector
          FROM inserted GROUP BY ticket_id
        ) added
        WHERE t.id = added.ticket_id;
        RETURN NULL;
      END $$ LANGUAGE plpgsql`);
  await queryRunner.query('CREATE TRIGGER messages_search AFTER INSERT ON messages REFERENCING NEW TABLE AS inserted FOR EACH STATEMENT EXECUTE FUNCTION messages_search()');
}

/**
 * Messages feed their ticket's search vector once per INSERT statement instead of once per row: ingest
 * writes a hundred messages with one statement, and each ticket's vector is then updated once.
 */
export class MessageSearchPerStatement1795327000000 implements MigrationInterface {
  name = 'MessageSearchPerStatement1795327000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_search ON messages');
    await createPerStatementSearch(queryRunner);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP TRIGGER messages_search ON messages');
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION messages_search() RETURNS trigger AS $$
      BEGIN
        UPDATE tickets SET search_vector = coalesce(search_vector, ''::tsvector) || setweight(
          to_tsvector('english', left(coalesce(NEW.from_address, '') || ' ' || coalesce(NEW.from_name, '') || ' '
            || coalesce(NEW.body_text, ''), 20000)), 'B')
        WHERE id = NEW.ticket_id;
        RETURN NEW;
      END $$ LANGUAGE plpgsql`);
    await queryRunner.query('CREATE TRIGGER messages_search AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION messages_search()');
  }
}
