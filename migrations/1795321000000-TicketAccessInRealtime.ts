import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Live pushes and catch-up decide per recipient by the ticket access rule as of now:
 * - `tickets.awaiting_routing`: a new ticket is announced only once routing has placed it (perhaps into a
 *   private team), so nobody sees it who may not read it where it lands;
 * - `realtime_events.ticket_id`: the ticket a logged event is about, so a replay checks who may read it now.
 */
export class TicketAccessInRealtime1795321000000 implements MigrationInterface {
  name = 'TicketAccessInRealtime1795321000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE tickets ADD awaiting_routing boolean NOT NULL DEFAULT false');
    await queryRunner.query('ALTER TABLE realtime_events ADD ticket_id uuid');
    // Events logged before this column carry the ticket in their payload.
    await queryRunner.query(`UPDATE realtime_events SET ticket_id = COALESCE(payload->'ticket'->>'id', payload->>'ticketId')::uuid WHERE name LIKE 'ticket.%' OR name LIKE 'message.%'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('ALTER TABLE realtime_events DROP COLUMN ticket_id');
    await queryRunner.query('ALTER TABLE tickets DROP COLUMN awaiting_routing');
  }
}
