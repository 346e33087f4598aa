import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, In, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import type { TicketSort } from '../../../contracts/api';
import type { TicketPriority, TicketStatus } from '../../../contracts/domain';
import { joinRawSource, sha256 } from '../mail/parse/raw-attachments';
import { Attachment } from './attachment.entity';
import { readableTicketSql, type TicketPlacement, type TicketScope } from './ticket-access';
import { Message } from './message.entity';
import { TicketEvent } from './ticket-event.entity';
import { TicketTag } from './ticket-tag.entity';
import { Ticket } from './ticket.entity';

export interface TicketFilter {
  status?: TicketStatus[];
  priority?: TicketPriority[];
  /** A user id, or null for unassigned. */
  assigneeId?: string | null;
  /** A team id, or null for tickets without a team. */
  teamId?: string | null;
  tags?: string[];
  mailboxId?: string;
  customerId?: string;
  text?: string;
  /** Only tickets with an open SLA target due before this ISO instant. */
  slaDueBefore?: string;
  /** Only tickets with no open SLA target due before this ISO instant (not overdue). */
  slaNoneDueBefore?: string;
  /** What the reader may not read (ticket-access.ts) is left out. */
  scope: TicketScope;
}

export interface TicketCursor {
  sortValue: string;
  id: string;
}

/** The nearest open SLA due time; tickets without a running target sort after every real time. */
const SLA_DUE = "COALESCE((SELECT min(s.due_at) FROM sla_targets s WHERE s.ticket_id = t.id AND s.achieved_at IS NULL), 'infinity'::timestamptz)";

const SORTS: Record<TicketSort, { expression: string; direction: 'ASC' | 'DESC' }> = {
  last_activity_desc: { expression: 't.last_activity_at', direction: 'DESC' },
  last_activity_asc: { expression: 't.last_activity_at', direction: 'ASC' },
  created_desc: { expression: 't.created_at', direction: 'DESC' },
  created_asc: { expression: 't.created_at', direction: 'ASC' },
  sla_due_asc: { expression: SLA_DUE, direction: 'ASC' },
};

/** The only code that queries tickets, their messages, tags and timeline. */
/** The advisory lock (two int keys) that orders storing a blob against deleting it; `column` is its SHA-256. */
const BLOB_LOCK = (column: string) => `hashtext('careloop.attachment_blob'), ('x' || encode(substring(${column} from 1 for 4), 'hex'))::bit(32)::int`;

@Injectable()
export class TicketRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * One page in keyset order. The cursor carries the sort column's exact text (microseconds
   * included), so pages never skip or repeat tickets that share a millisecond.
   */
  async list(filter: TicketFilter, sort: TicketSort, limit: number, cursor: TicketCursor | null): Promise<{ tickets: Ticket[]; cursors: TicketCursor[] }> {
    const { expression, direction } = SORTS[sort];
    const qb = this.filtered(filter).leftJoinAndSelect('t.customer', 'customer');
    if (cursor) {
      qb.andWhere(`(${expression}, t.id) ${direction === 'DESC' ? '<' : '>'} (:cursorValue::timestamptz, :cursorId::uuid)`, {
        cursorValue: cursor.sortValue,
        cursorId: cursor.id,
      });
    }
    // 'infinity' has no calendar text: it is carried as itself.
    qb.addSelect(`CASE WHEN isfinite(${expression}) THEN to_char(${expression} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') ELSE 'infinity' END`, 'sort_value')
      .orderBy(expression, direction)
      .addOrderBy('t.id', direction)
      .limit(limit);
    const { entities, raw } = await qb.getRawAndEntities<{ sort_value: string; t_id: string }>();
    const sortValues = new Map(raw.map((row) => [row.t_id, row.sort_value]));
    return { tickets: entities, cursors: entities.map((ticket) => ({ sortValue: sortValues.get(ticket.id) ?? '', id: ticket.id })) };
  }

  /**
   * How many tickets match, reading at most `cap + 1` index entries: the cost stays bounded however many
   * tickets match, and a result above `cap` means "more than cap".
   */
  async countUpTo(filter: TicketFilter, cap: number): Promise<number> {
    const [sql, parameters] = this.filtered(filter).select('1').limit(cap + 1).getQueryAndParameters();
    const [row] = await this.dataSource.query<{ count: number }[]>(`SELECT count(*)::int AS count FROM (${sql}) capped`, parameters);
    return row.count;
  }

  private filtered(filter: TicketFilter): SelectQueryBuilder<Ticket> {
    const qb = this.dataSource.getRepository(Ticket).createQueryBuilder('t');
    if (filter.status?.length) qb.andWhere('t.status IN (:...status)', { status: filter.status });
    if (filter.priority?.length) qb.andWhere('t.priority IN (:...priority)', { priority: filter.priority });
    if (filter.assigneeId !== undefined) {
      qb.andWhere(filter.assigneeId === null ? 't.assignee_id IS NULL' : 't.assignee_id = :assigneeId', { assigneeId: filter.assigneeId });
    }
    if (filter.teamId !== undefined) qb.andWhere(filter.teamId === null ? 't.team_id IS NULL' : 't.team_id = :teamId', { teamId: filter.teamId });
    if (filter.mailboxId) qb.andWhere('t.mailbox_id = :mailboxId', { mailboxId: filter.mailboxId });
    if (filter.customerId) qb.andWhere('t.customer_id = :customerId', { customerId: filter.customerId });
    if (filter.slaDueBefore) {
      qb.andWhere('EXISTS (SELECT 1 FROM sla_targets s WHERE s.ticket_id = t.id AND s.achieved_at IS NULL AND s.due_at < :slaDueBefore)', { slaDueBefore: filter.slaDueBefore });
    }
    if (filter.slaNoneDueBefore) {
      qb.andWhere('NOT EXISTS (SELECT 1 FROM sla_targets s WHERE s.ticket_id = t.id AND s.achieved_at IS NULL AND s.due_at < :slaNoneDueBefore)', { slaNoneDueBefore: filter.slaNoneDueBefore });
    }
    qb.andWhere(readableTicketSql('t', ':hiddenTeamIds', ':hidesUnrouted'), filter.scope);
    if (filter.tags?.length) {
      qb.andWhere('EXISTS (SELECT 1 FROM ticket_tags tt JOIN tags tg ON tg.id = tt.tag_id WHERE tt.ticket_id = t.id AND tg.name IN (:...tags))', {
        tags: filter.tags,
      });
    }
    if (filter.text) {
      // "#1234" means that ticket; a bare number may also be a word in the text.
      const ticketNumber = /^#(\d{1,9})$/.exec(filter.text)?.[1];
      const bareNumber = /^\d{1,9}$/.test(filter.text) ? filter.text : undefined;
      if (ticketNumber) qb.andWhere('t.number = :number', { number: Number(ticketNumber) });
      else if (bareNumber) qb.andWhere("(t.search_vector @@ websearch_to_tsquery('english', :text) OR t.number = :number)", { text: filter.text, number: Number(bareNumber) });
      else qb.andWhere("t.search_vector @@ websearch_to_tsquery('english', :text)", { text: filter.text });
    }
    return qb;
  }

  // Query builders rather than findOne: findOne with a joined relation runs a second DISTINCT query,
  // and these lookups run several times for every ingested message.
  findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<Ticket | null> {
    return manager.getRepository(Ticket).createQueryBuilder('ticket').leftJoinAndSelect('ticket.customer', 'customer').where('ticket.id = :id', { id }).getOne();
  }

  findByIds(ids: string[], manager: EntityManager = this.dataSource.manager): Promise<Ticket[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return manager.getRepository(Ticket).createQueryBuilder('ticket').leftJoinAndSelect('ticket.customer', 'customer').where('ticket.id IN (:...ids)', { ids }).getMany();
  }

  /**
   * Moves the sources' messages and tags to the target and folds their search text into it; the list
   * fields of the target (count, snippet, last activity) are recomputed from its messages.
   */
  async moveIntoTicket(targetId: string, sourceIds: string[], manager: EntityManager): Promise<void> {
    await manager.query('UPDATE messages SET ticket_id = $1 WHERE ticket_id = ANY($2)', [targetId, sourceIds]);
    await manager.query('INSERT INTO ticket_tags (ticket_id, tag_id) SELECT $1, tag_id FROM ticket_tags WHERE ticket_id = ANY($2) ON CONFLICT DO NOTHING', [targetId, sourceIds]);
    await manager.query(
      `UPDATE tickets t SET
         search_vector = coalesce(t.search_vector, ''::tsvector) || coalesce((SELECT tsvector_agg FROM (SELECT string_agg(s.search_vector::text, ' ')::tsvector AS tsvector_agg FROM tickets s WHERE s.id = ANY($2)) v), ''::tsvector),
         message_count = (SELECT count(*) FROM messages m WHERE m.ticket_id = t.id),
         last_activity_at = greatest(t.last_activity_at, (SELECT max(m.created_at) FROM messages m WHERE m.ticket_id = t.id)),
         updated_at = now()
       WHERE t.id = $1`,
      [targetId, sourceIds],
    );
    // The sources keep only their subject's words: their messages are found through the target now.
    await manager.query(
      "UPDATE tickets SET message_count = 0, snippet = NULL, search_vector = setweight(to_tsvector('english', subject), 'A'), updated_at = now() WHERE id = ANY($1)",
      [sourceIds],
    );
  }

  /** Deletes a ticket with its messages, and the attachment blobs nothing else refers to any more. */
  async delete(id: string, manager: EntityManager = this.dataSource.manager): Promise<void> {
    const used = await manager.query<{ sha256: Buffer }[]>(
      `SELECT a.content_sha256 AS sha256 FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.ticket_id = $1
       UNION SELECT decode(cut->>'sha256', 'hex') FROM messages m, jsonb_array_elements(m.raw_source_cuts) cut WHERE m.ticket_id = $1 AND m.raw_source_cuts IS NOT NULL`,
      [id],
    );
    await manager.getRepository(Ticket).delete({ id });
    await this.deleteUnusedBlobs(
      used.map((row) => row.sha256),
      manager,
    );
  }

  /**
   * Deletes those of these blobs that no attachment and no raw source refers to. Raw sources are found
   * without an index (a GIN index on raw_source_cuts cost ingest about a third of its throughput): the
   * scan only runs for blobs no attachment uses any more. Each is locked first
   * (BLOB_LOCK, exclusive): an import storing the same content holds it shared until it commits, so the
   * check below sees that import's references, or the import finds the blob gone and stores it again.
   */
  private async deleteUnusedBlobs(hashes: Buffer[], manager: EntityManager): Promise<void> {
    if (hashes.length === 0) return;
    const sorted = [...hashes].sort(Buffer.compare);
    await manager.query(`SELECT pg_advisory_xact_lock(${BLOB_LOCK('h')}) FROM unnest($1::bytea[]) AS h`, [sorted]);
    const unattached = await manager.query<{ sha256: Buffer }[]>(
      'SELECT h AS sha256 FROM unnest($1::bytea[]) AS h WHERE NOT EXISTS (SELECT 1 FROM attachments a WHERE a.content_sha256 = h)',
      [sorted],
    );
    if (unattached.length === 0) return;
    await manager.query(
      `DELETE FROM attachment_blobs b WHERE b.sha256 = ANY($1::bytea[])
         AND NOT EXISTS (SELECT 1 FROM messages m WHERE m.raw_source_cuts IS NOT NULL AND m.raw_source_cuts @> jsonb_build_array(jsonb_build_object('sha256', encode(b.sha256, 'hex'))))`,
      [unattached.map((row) => row.sha256)],
    );
  }

  findByNumber(number: number, manager: EntityManager = this.dataSource.manager): Promise<Ticket | null> {
    return manager.getRepository(Ticket).createQueryBuilder('ticket').leftJoinAndSelect('ticket.customer', 'customer').where('ticket.number = :number', { number }).getOne();
  }

  /** The messages of a mailbox with any of these Message-IDs, newest first (for threading and bounces). */
  findMessagesByMessageIds(mailboxId: string, messageIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Message[]> {
    if (messageIds.length === 0) return Promise.resolve([]);
    return manager.getRepository(Message).find({ where: { mailboxId, messageId: In(messageIds) }, order: { createdAt: 'DESC' } });
  }

  /** Which ticket holds each of these Message-IDs in a mailbox, and when that message was stored. */
  async ticketsByMessageIds(mailboxId: string, messageIds: string[], manager: EntityManager): Promise<{ messageId: string; ticketId: string; createdAt: Date }[]> {
    if (messageIds.length === 0) return [];
    return manager.query(
      'SELECT message_id AS "messageId", ticket_id AS "ticketId", created_at AS "createdAt" FROM messages WHERE mailbox_id = $1 AND message_id = ANY($2::text[])',
      [mailboxId, messageIds],
    );
  }

  /**
   * Every address that took part in each ticket's email conversation, lower-cased: the ticket's customer
   * and whoever sent, or was sent (To, Cc), one of its emails.
   */
  async participantAddresses(ticketIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, Set<string>>> {
    const participants = new Map<string, Set<string>>(ticketIds.map((id) => [id, new Set()]));
    if (ticketIds.length === 0) return participants;
    const rows = await manager.query<{ ticket_id: string; address: string | null }[]>(
      `SELECT t.id AS ticket_id, lower(c.email) AS address FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE t.id = ANY($1::uuid[])
       UNION SELECT ticket_id, lower(unnest(array_append(to_addresses || cc_addresses, from_address))) FROM messages WHERE ticket_id = ANY($1::uuid[]) AND direction <> 'note'`,
      [ticketIds],
    );
    for (const row of rows) if (row.address) participants.get(row.ticket_id)?.add(row.address);
    return participants;
  }

  /** The last customer-visible message of a ticket, whose Message-ID a reply answers. */
  lastEmail(ticketId: string, manager: EntityManager = this.dataSource.manager): Promise<Message | null> {
    return manager.getRepository(Message).findOne({ where: { ticketId, direction: In(['inbound', 'outbound']) }, order: { createdAt: 'DESC' } });
  }

  /** Automatic emails sent to this address since a moment (loop protection). */
  countAutomaticTo(address: string, since: Date): Promise<number> {
    return this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .where("m.automatic = true AND m.direction = 'outbound' AND m.created_at >= :since AND :address = ANY(m.to_addresses)", { since, address: address.toLowerCase() })
      .getCount();
  }

  /** A message with what sending it needs: its attachments' bytes and its ticket. */
  findMessageForSending(id: string): Promise<Message | null> {
    return this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .leftJoinAndSelect('m.attachments', 'a')
      .leftJoinAndSelect('a.blob', 'b')
      .addSelect('b.content')
      .innerJoinAndSelect('m.ticket', 't')
      .where('m.id = :id', { id })
      .getOne()
      .then((message) => {
        for (const attachment of message?.attachments ?? []) attachment.content = attachment.blob.content;
        return message;
      });
  }

  updateMessage(id: string, changes: Partial<Message>, manager: EntityManager = this.dataSource.manager): Promise<unknown> {
    return manager.getRepository(Message).update({ id }, changes);
  }

  /** Locks the ticket row until the surrounding transaction ends, so concurrent edits serialise. */
  /**
   * Customer and agent emails of a ticket newer than one of its messages (notes aside), oldest first;
   * null when that message is not the ticket's.
   */
  async emailsAfter(ticketId: string, messageId: string, manager: EntityManager): Promise<Message[] | null> {
    const seen = await manager.getRepository(Message).findOne({ where: { id: messageId, ticketId } });
    if (!seen) return null;
    return manager
      .getRepository(Message)
      .createQueryBuilder('message')
      .leftJoinAndSelect('message.attachments', 'attachment')
      .where('message.ticketId = :ticketId', { ticketId })
      .andWhere("message.direction IN ('inbound', 'outbound')")
      .andWhere('(message.createdAt, message.id) > (:createdAt, :id)', { createdAt: seen.createdAt, id: seen.id })
      .orderBy('message.createdAt', 'ASC')
      .addOrderBy('message.id', 'ASC')
      .getMany();
  }

  findForUpdate(id: string, manager: EntityManager): Promise<Ticket | null> {
    return manager.getRepository(Ticket).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Tag names per ticket id, alphabetical. */
  async tagNames(ticketIds: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string[]>> {
    const result = new Map<string, string[]>(ticketIds.map((id) => [id, []]));
    if (ticketIds.length === 0) return result;
    const rows = await manager
      .getRepository(TicketTag)
      .createQueryBuilder('tt')
      .innerJoin('tt.tag', 'tag')
      .select(['tt.ticketId AS ticket_id', 'tag.name AS name'])
      .where('tt.ticketId IN (:...ticketIds)', { ticketIds })
      .orderBy('tag.name')
      .getRawMany<{ ticket_id: string; name: string }>();
    for (const row of rows) result.get(row.ticket_id)?.push(row.name);
    return result;
  }

  async replaceTags(ticketId: string, addTagIds: string[], removeTagIds: string[], manager: EntityManager): Promise<void> {
    if (removeTagIds.length) await manager.getRepository(TicketTag).delete({ ticketId, tagId: In(removeTagIds) });
    if (addTagIds.length) {
      await manager
        .createQueryBuilder()
        .insert()
        .into(TicketTag)
        .values(addTagIds.map((tagId) => ({ ticketId, tagId })))
        .orIgnore()
        .execute();
    }
  }

  messages(ticketId: string): Promise<Message[]> {
    return this.dataSource.getRepository(Message).find({ where: { ticketId }, relations: { attachments: true }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findMessage(id: string, manager: EntityManager = this.dataSource.manager): Promise<Message | null> {
    return manager.getRepository(Message).createQueryBuilder('message').leftJoinAndSelect('message.attachments', 'attachment').where('message.id = :id', { id }).getOne();
  }

  /**
   * The raw source of a ticket's message exactly as received or sent (attachment bodies written back from
   * their blobs), or null when the message is not on that ticket or has none.
   */
  async rawSource(ticketId: string, messageId: string): Promise<Buffer | null> {
    const message = await this.dataSource
      .getRepository(Message)
      .createQueryBuilder('m')
      .select(['m.id'])
      .addSelect(['m.rawSource', 'm.rawSourceCuts'])
      .where('m.id = :messageId AND m.ticket_id = :ticketId', { messageId, ticketId })
      .getOne();
    if (!message?.rawSource || !message.rawSourceCuts?.length) return message?.rawSource ?? null;
    const blobs = await this.blobContents([...new Set(message.rawSourceCuts.map((cut) => cut.sha256))]);
    return joinRawSource(message.rawSource, message.rawSourceCuts, blobs);
  }

  private async blobContents(hexHashes: string[]): Promise<Map<string, Buffer>> {
    const rows = await this.dataSource.query<{ sha256: Buffer; content: Buffer }[]>('SELECT sha256, content FROM attachment_blobs WHERE sha256 = ANY($1::bytea[])', [
      hexHashes.map((hash) => Buffer.from(hash, 'hex')),
    ]);
    return new Map(rows.map((row) => [row.sha256.toString('hex'), row.content]));
  }

  /**
   * Stores one content (SHA-256 in hex, `size` bytes) read slice by slice, unless it is stored already: the
   * first slice inserts the row, each next one is appended in PostgreSQL, so this process never holds the
   * whole content (a 25 MB attachment). Only the transaction that inserted the row appends to it.
   */
  async insertBlobFrom(hexHash: string, size: number, slices: AsyncIterable<Buffer>, manager: EntityManager): Promise<void> {
    const hash = Buffer.from(hexHash, 'hex');
    let inserted: boolean | null = null;
    for await (const slice of slices) {
      if (inserted === null) {
        const rows = await manager.query<unknown[]>(
          `INSERT INTO attachment_blobs (sha256, size, content) SELECT $1::bytea, $2::int, $3::bytea FROM (SELECT pg_advisory_xact_lock_shared(${BLOB_LOCK('$1::bytea')})) AS locked
           ON CONFLICT (sha256) DO NOTHING RETURNING sha256`,
          [hash, size, slice],
        );
        inserted = rows.length > 0;
        if (!inserted) return;
      } else {
        await manager.query('UPDATE attachment_blobs SET content = content || $2 WHERE sha256 = $1', [hash, slice]);
      }
    }
    if (inserted === null) await manager.query('INSERT INTO attachment_blobs (sha256, size, content) VALUES ($1, 0, $2) ON CONFLICT (sha256) DO NOTHING', [hash, Buffer.alloc(0)]);
  }

  /** Stores each distinct content once (keyed by its SHA-256, hex); contents already stored are left as they are. */
  async insertBlobs(blobs: Map<string, Buffer>, manager: EntityManager): Promise<void> {
    if (blobs.size === 0) return;
    // In hash order, as deleteUnusedBlobs locks them.
    const rows = [...blobs].sort(([a], [b]) => (a < b ? -1 : 1));
    await manager.query(
      `INSERT INTO attachment_blobs (sha256, size, content)
       SELECT u.sha256, u.size, u.content FROM unnest($1::bytea[], $2::int[], $3::bytea[]) AS u(sha256, size, content)
       CROSS JOIN LATERAL (SELECT pg_advisory_xact_lock_shared(${BLOB_LOCK('u.sha256')})) AS locked
       ON CONFLICT (sha256) DO NOTHING`,
      [rows.map(([hash]) => Buffer.from(hash, 'hex')), rows.map(([, content]) => content.length), rows.map(([, content]) => content)],
    );
  }

  /** The team of each ticket that still exists (null for none). */
  /** Each ticket's team and whether routing has placed it yet; tickets that are gone are missing. */
  async placements(ticketIds: string[]): Promise<Map<string, TicketPlacement>> {
    if (ticketIds.length === 0) return new Map();
    const rows = await this.dataSource.query<{ id: string; team_id: string | null; awaiting_routing: boolean }[]>(
      'SELECT id, team_id, awaiting_routing FROM tickets WHERE id = ANY($1::uuid[])',
      [ticketIds],
    );
    return new Map(rows.map((row) => [row.id, { teamId: row.team_id, awaitingRouting: row.awaiting_routing }]));
  }

  async markRouted(ticketIds: string[], manager: EntityManager): Promise<void> {
    // The lock is a statement of its own, so the UPDATE's snapshot holds the version just locked. Locked in the
    // UPDATE's subquery, the row could change while it waited, and the UPDATE then queued for the older version
    // a second time, behind a reader waiting on this transaction: "deadlock detected" in CI, a reply's 500.
    await this.lockInIdOrder(ticketIds, manager);
    await manager.query('UPDATE tickets SET awaiting_routing = false WHERE id = ANY($1::uuid[]) AND awaiting_routing', [ticketIds]);
  }

  /**
   * Locks the tickets' rows until the transaction ends, in id order, as every multi-ticket change must before its
   * first write to them: two batches then never hold each other's rows, and a single-ticket lock never waits on a
   * batch that waits on it. NO KEY UPDATE leaves inserts that reference these tickets (their foreign-key checks
   * take KEY SHARE) unblocked. Returns the ids of those that exist, in that order.
   */
  async lockInIdOrder(ticketIds: readonly string[], manager: EntityManager): Promise<string[]> {
    if (ticketIds.length === 0) return [];
    const rows = await manager.query<{ id: string }[]>('SELECT id FROM tickets WHERE id = ANY($1::uuid[]) ORDER BY id FOR NO KEY UPDATE', [ticketIds]);
    return rows.map((row) => row.id);
  }

  findMessages(ids: string[]): Promise<Message[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(Message).createQueryBuilder('message').leftJoinAndSelect('message.attachments', 'attachment').where('message.id IN (:...ids)', { ids }).getMany();
  }

  events(ticketId: string): Promise<TicketEvent[]> {
    return this.dataSource.getRepository(TicketEvent).find({ where: { ticketId }, order: { createdAt: 'ASC', seq: 'ASC' } });
  }

  findEvents(ids: string[]): Promise<TicketEvent[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return this.dataSource.getRepository(TicketEvent).find({ where: { id: In(ids) }, order: { createdAt: 'ASC', seq: 'ASC' } });
  }

  /** Inserts tickets with one statement and returns them with their generated fields (id, number, defaults). */
  async insertTickets(fields: Partial<Ticket>[], manager: EntityManager): Promise<Ticket[]> {
    if (fields.length === 0) return [];
    const repository = manager.getRepository(Ticket);
    const tickets = repository.create(fields);
    await repository.insert(tickets);
    return tickets;
  }

  /** A plain UPDATE: no read-before-write as `save` would do, which matters on the ingestion path. */
  async updateTicket(id: string, changes: Partial<Ticket>, manager: EntityManager): Promise<void> {
    await manager.getRepository(Ticket).update({ id }, changes);
  }

  /** Inserts messages with one statement (the trigger queueing them for search runs once per statement, too). */
  async insertMessages(fields: Partial<Message>[], manager: EntityManager): Promise<Message[]> {
    if (fields.length === 0) return [];
    const repository = manager.getRepository(Message);
    const messages = repository.create(fields);
    await repository.insert(messages);
    return messages;
  }

  /** Writes the list fields a batch of new messages changed on existing tickets, with one statement. */
  async updateActivity(tickets: Pick<Ticket, 'id' | 'messageCount' | 'lastActivityAt' | 'snippet' | 'firstReplyAt'>[], manager: EntityManager): Promise<void> {
    if (tickets.length === 0) return;
    await manager.query(
      `UPDATE tickets t SET message_count = u.message_count, last_activity_at = u.last_activity_at, snippet = u.snippet, first_reply_at = u.first_reply_at, updated_at = now()
       FROM unnest($1::uuid[], $2::int[], $3::timestamptz[], $4::text[], $5::timestamptz[]) AS u(id, message_count, last_activity_at, snippet, first_reply_at)
       WHERE t.id = u.id`,
      [tickets.map((t) => t.id), tickets.map((t) => t.messageCount), tickets.map((t) => t.lastActivityAt), tickets.map((t) => t.snippet), tickets.map((t) => t.firstReplyAt ?? null)],
    );
  }

  /**
   * Attachments with their `content`, in one INSERT per table: each distinct content (theirs, and `moreBlobs`
   * such as bodies cut from raw sources) becomes one blob, each attachment a row pointing at its blob.
   */
  async insertAttachments(attachments: (Partial<Attachment> & { content: Buffer })[], manager: EntityManager, moreBlobs: Map<string, Buffer> = new Map()): Promise<Attachment[]> {
    const repository = manager.getRepository(Attachment);
    const blobs = new Map(moreBlobs);
    const rows = attachments.map(({ content, ...attachment }) => {
      // A content stored already (a spooled blob) names its hash; any other is hashed and stored here.
      if (attachment.contentSha256) return repository.create(attachment);
      const hash = sha256(content);
      blobs.set(hash.toString('hex'), content);
      return repository.create({ ...attachment, contentSha256: hash });
    });
    await this.insertBlobs(blobs, manager);
    if (rows.length) await repository.insert(rows);
    return rows;
  }

  async insertEvents(events: Partial<TicketEvent>[], manager: EntityManager): Promise<TicketEvent[]> {
    if (events.length === 0) return [];
    const repository = manager.getRepository(TicketEvent);
    const rows = repository.create(events);
    // jsonb `data` is a plain record, which TypeORM's deep-partial type cannot express.
    await repository.insert(rows as QueryDeepPartialEntity<TicketEvent>[]);
    return rows;
  }

  /** A message's attachments of these types and at most this size, with their bytes (its inline images). */
  async findImagesWithContent(messageId: string, contentTypes: readonly string[], maxBytes: number): Promise<(Attachment & { content: Buffer })[]> {
    const images = await this.dataSource
      .getRepository(Attachment)
      .createQueryBuilder('a')
      .innerJoinAndSelect('a.blob', 'b')
      .addSelect('b.content')
      .where('a.message_id = :messageId AND lower(a.content_type) IN (:...contentTypes) AND a.size <= :maxBytes', { messageId, contentTypes, maxBytes })
      .getMany();
    return images.map((image) => Object.assign(image, { content: image.blob.content }));
  }

  /** The attachment with its bytes and the ticket it belongs to (for the visibility check). */
  findAttachmentWithContent(id: string): Promise<(Attachment & { placement: TicketPlacement }) | null> {
    return this.dataSource
      .getRepository(Attachment)
      .createQueryBuilder('a')
      .innerJoinAndSelect('a.blob', 'b')
      .addSelect('b.content')
      .innerJoin('a.message', 'm')
      .innerJoin('m.ticket', 't')
      .addSelect('t.team_id', 'ticket_team_id')
      .addSelect('t.awaiting_routing', 'ticket_awaiting_routing')
      .where('a.id = :id', { id })
      .getRawAndEntities<{ ticket_team_id: string | null; ticket_awaiting_routing: boolean }>()
      .then(({ entities, raw }) =>
        entities[0] && raw[0]
          ? Object.assign(entities[0], { content: entities[0].blob.content, placement: { teamId: raw[0].ticket_team_id, awaitingRouting: raw[0].ticket_awaiting_routing } })
          : null,
      );
  }
}
