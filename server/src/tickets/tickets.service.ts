import { OutboxService } from '../outbox/outbox.service';
import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { BulkTicketChanges, MessageDto, TicketDetailDto, TicketPageDto, TicketQueryParams, TicketSummaryDto, UpdateTicketRequest } from '../../../contracts/api';
import type { TicketStatus } from '../../../contracts/domain';
import { SLA_SOON_MINUTES } from '../../../contracts/views';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { DomainError, InvalidFieldError, NotFoundError } from '../common/errors';
import { emailFrameDocument, INLINE_SAFE_IMAGE_TYPES } from '../mail/parse';
import { SlaSummaryRepository } from '../sla/sla-summary.repository';
import { TagRepository } from '../tags/tag.repository';
import { TagsService } from '../tags/tags.service';
import { UserRepository } from '../users/user.repository';
import { activityAfter, MessageBatch } from './message-batch';
import type { Attachment } from './attachment.entity';
import type { Message } from './message.entity';
import type { ActorType, TicketEvent } from './ticket-event.entity';
import { toMessageDto, toTicketEventDto, toTicketSummaryDto } from './ticket.mapper';
import { inScope, mayReadTicket, ticketScope, type TicketReader, type TicketScope } from './ticket-access';
import { TicketRepository, type TicketCursor, type TicketFilter } from './ticket.repository';
import type { Ticket } from './ticket.entity';

/** Who made a change, as the timeline shows it. */
export interface Actor {
  type: ActorType;
  id: string | null;
}

/** A larger inline image is left out of the email frame (it is still listed as an attachment). */
const MAX_INLINE_IMAGE_BYTES = 5 * 1024 * 1024;

/** Statuses in which a ticket counts as solved (its solve time is kept, surveys go out). */
export const CLOSED_STATUSES: TicketStatus[] = ['solved', 'closed'];

function encodeCursor(cursor: TicketCursor): string {
  return Buffer.from(JSON.stringify([cursor.sortValue, cursor.id])).toString('base64url');
}

function decodeCursor(value: string): TicketCursor {
  try {
    const [sortValue, id] = JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as unknown[];
    if (typeof sortValue === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(sortValue)) && /^[0-9a-f-]{36}$/i.test(id)) return { sortValue, id };
  } catch {
    // fall through to the field error below
  }
  throw new InvalidFieldError('cursor', 'is not a cursor returned by this API');
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly tickets: TicketRepository,
    private readonly tags: TagRepository,
    private readonly tagPolicy: TagsService,
    private readonly users: UserRepository,
    private readonly clock: Clock,
    private readonly slaSummaries: SlaSummaryRepository,
    private readonly outbox: OutboxService,
  ) {}

  /** What the viewer may not read (ticket-access.ts), as of now. */
  async scopeOf(viewer: AuthUser): Promise<TicketScope> {
    return ticketScope(viewer, await this.users.privateTeamIds());
  }

  /**
   * The access rule for these tickets as of now, for checking many readers at once (live rooms): a ticket
   * that is gone is read by nobody.
   */
  async readAccessNow(ticketIds: string[]): Promise<(reader: TicketReader, ticketId: string) => boolean> {
    const [placements, privateTeamIds] = await Promise.all([this.tickets.placements(ticketIds), this.users.privateTeamIds()]);
    return (reader, ticketId) => {
      const placement = placements.get(ticketId);
      return placement !== undefined && mayReadTicket(reader, placement, privateTeamIds);
    };
  }

  async list(query: TicketQueryParams, viewer: AuthUser): Promise<TicketPageDto> {
    const limit = query.limit;
    const filter = this.ticketFilter(query, viewer, await this.scopeOf(viewer));
    const cursor = query.cursor ? decodeCursor(query.cursor) : null;
    const page = await this.tickets.list(filter, query.sort, limit + 1, cursor);
    const hasMore = page.tickets.length > limit;
    const tickets = page.tickets.slice(0, limit);
    const ids = tickets.map((ticket) => ticket.id);
    const [tagNames, sla] = await Promise.all([this.tickets.tagNames(ids), this.slaSummaries.summaries(ids, this.clock.now())]);
    return {
      items: tickets.map((ticket) => ({ ...toTicketSummaryDto(ticket, tagNames.get(ticket.id) ?? []), sla: sla.get(ticket.id) ?? null })),
      nextCursor: hasMore ? encodeCursor(page.cursors[limit - 1]) : null,
    };
  }

  /** The repository filter for a list query or a view (one mapping for the list and the view counts). */
  ticketFilter(query: Omit<Partial<TicketQueryParams>, 'sort' | 'limit' | 'cursor'>, viewer: AuthUser, scope: TicketScope): TicketFilter {
    const { assignee, team } = query;
    return {
      status: query.status,
      priority: query.priority,
      assigneeId: assignee === undefined ? undefined : assignee === 'none' ? null : assignee === 'me' ? viewer.id : assignee,
      teamId: team === undefined ? undefined : team === 'none' ? null : team,
      tags: query.tag,
      mailboxId: query.mailbox,
      customerId: query.customer,
      text: query.q,
      ...this.slaWindow(query),
      scope,
    };
  }

  /** Overdue: an open target is past due. Due soon: none is, and one falls due within the hour. */
  private slaWindow({ sla, slaDueWithin }: Pick<Partial<TicketQueryParams>, 'sla' | 'slaDueWithin'>): Pick<TicketFilter, 'slaDueBefore' | 'slaNoneDueBefore'> {
    const now = this.clock.now().getTime();
    const at = (minutes: number) => new Date(now + minutes * 60_000).toISOString();
    if (sla === 'overdue') return { slaDueBefore: at(0) };
    if (sla === 'due_soon') return { slaDueBefore: at(SLA_SOON_MINUTES), slaNoneDueBefore: at(0) };
    return { slaDueBefore: slaDueWithin === undefined ? undefined : at(slaDueWithin) };
  }

  async get(id: string, viewer: AuthUser): Promise<TicketDetailDto> {
    const ticket = await this.requireVisible(id, viewer);
    const [tagNames, messages, events] = await Promise.all([this.tickets.tagNames([id]), this.tickets.messages(id), this.tickets.events(id)]);
    return {
      ...toTicketSummaryDto(ticket, tagNames.get(id) ?? []),
      messages: messages.map(toMessageDto),
      events: events.map(toTicketEventDto),
    };
  }

  /** The list view of one ticket, as realtime pushes it. */
  async summary(id: string): Promise<TicketSummaryDto | null> {
    return (await this.summaries([id])).get(id) ?? null;
  }

  /** List views of many tickets with three queries; tickets that are gone are missing from the map. */
  async summaries(ids: string[]): Promise<Map<string, TicketSummaryDto>> {
    const [tickets, tagNames, sla] = await Promise.all([this.tickets.findByIds(ids), this.tickets.tagNames(ids), this.slaSummaries.summaries(ids, this.clock.now())]);
    return new Map(tickets.map((ticket) => [ticket.id, { ...toTicketSummaryDto(ticket, tagNames.get(ticket.id) ?? []), sla: sla.get(ticket.id) ?? null }]));
  }

  async requireVisible(id: string, viewer: AuthUser, scope?: TicketScope): Promise<Ticket> {
    const ticket = await this.tickets.findById(id);
    if (!ticket || !inScope(scope ?? (await this.scopeOf(viewer)), ticket)) throw new NotFoundError('Ticket');
    return ticket;
  }

  async update(id: string, input: UpdateTicketRequest, actor: Actor, viewer?: AuthUser): Promise<TicketSummaryDto> {
    if (viewer) await this.requireVisible(id, viewer);
    await this.checkReferences(input);

    await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.tickets.findForUpdate(id, manager);
      if (!ticket) throw new NotFoundError('Ticket');
      const { eventIds, changed } = await this.applyChanges(ticket, input, actor, manager);
      if (changed.length) raise({ name: 'ticket.updated', payload: { ticketId: id, eventIds, changed } });
    });
    const summary = await this.summary(id);
    if (!summary) throw new NotFoundError('Ticket');
    return summary;
  }

  /**
   * One change for a whole selection in one transaction: every ticket changes or, when one cannot
   * (hidden, gone, refused by a workspace rule), none does and the error names that ticket.
   */
  async bulkUpdate(ids: string[], { addTags, removeTags, ...input }: BulkTicketChanges, viewer: AuthUser): Promise<TicketSummaryDto[]> {
    const unique = [...new Set(ids)];
    await this.checkReferences(input);
    const scope = await this.scopeOf(viewer);
    const visible = new Set((await this.tickets.findByIds(unique)).filter((ticket) => inScope(scope, ticket)).map((ticket) => ticket.id));
    const missing = unique.filter((id) => !visible.has(id));
    if (missing.length) throw new InvalidFieldError('ticketIds', `${missing.length} of these tickets do not exist or are not visible to you (first: ${missing[0]})`);
    const actor: Actor = { type: 'user', id: viewer.id };
    await this.outbox.transaction(async (manager, raise) => {
      // Locked in id order, as merges do, so two bulk changes over overlapping selections cannot deadlock.
      for (const id of unique.sort()) {
        const ticket = await this.tickets.findForUpdate(id, manager);
        if (!ticket) throw new NotFoundError('Ticket');
        try {
          const changes: UpdateTicketRequest = { ...input };
          if (addTags || removeTags) {
            const current = (await this.tickets.tagNames([id], manager)).get(id) ?? [];
            changes.tags = [...new Set([...current, ...(addTags ?? [])])].filter((name) => !removeTags?.includes(name));
          }
          const { eventIds, changed } = await this.applyChanges(ticket, changes, actor, manager);
          if (changed.length) raise({ name: 'ticket.updated', payload: { ticketId: id, eventIds, changed } });
        } catch (error) {
          if (error instanceof DomainError) throw new DomainError(error.code, `Ticket #${ticket.number}: ${error.message}; nothing was changed`, error.status, error.fields);
          throw error;
        }
      }
    });
    const summaries = await this.summaries(unique);
    return unique.flatMap((id) => summaries.get(id) ?? []);
  }

  private async checkReferences(input: UpdateTicketRequest): Promise<void> {
    if (input.assigneeId) {
      const assignee = await this.users.findById(input.assigneeId);
      if (!assignee?.isActive) throw new InvalidFieldError('assigneeId', 'no active user with this id');
    }
    if (input.teamId && !(await this.users.findTeam(input.teamId))) throw new InvalidFieldError('teamId', 'no team with this id');
  }

  /**
   * Applies field changes to a locked ticket and records one timeline event per change, inside the
   * caller's transaction. Used by agents' edits, macros and routing rules alike.
   */
  async applyChanges(ticket: Ticket, input: UpdateTicketRequest, actor: Actor, manager: EntityManager): Promise<{ eventIds: string[]; changed: string[] }> {
    const now = this.clock.now();
    const timeline: Partial<TicketEvent>[] = [];
    const record = (type: string, data: Record<string, unknown>) => timeline.push({ ticketId: ticket.id, type, actorType: actor.type, actorId: actor.id, data, createdAt: now });
    const changes: Partial<Ticket> = {};

    for (const field of ['subject', 'priority', 'assigneeId', 'teamId'] as const) {
      const value = input[field];
      if (value !== undefined && value !== ticket[field]) {
        Object.assign(changes, { [field]: value });
        record(`${field.replace(/Id$/, '')}.changed`, { from: ticket[field], to: value });
      }
    }
    if (input.status && input.status !== ticket.status) {
      changes.status = input.status;
      if (CLOSED_STATUSES.includes(input.status) && !ticket.solvedAt) changes.solvedAt = now;
      if (!CLOSED_STATUSES.includes(input.status)) changes.solvedAt = null;
      record('status.changed', { from: ticket.status, to: input.status });
    }
    if (input.tags) {
      const current = (await this.tickets.tagNames([ticket.id], manager)).get(ticket.id) ?? [];
      const wanted = [...new Set(input.tags)];
      const added = wanted.filter((name) => !current.includes(name));
      const removed = current.filter((name) => !wanted.includes(name));
      if (added.length || removed.length) {
        const tags = await this.tags.ensure([...added, ...removed], manager);
        const idsOf = (names: string[]) => tags.filter((tag) => names.includes(tag.name)).map((tag) => tag.id);
        await this.tickets.replaceTags(ticket.id, idsOf(added), idsOf(removed), manager);
        record('tags.changed', { added, removed });
        // A tag change alone must still bump updated_at so list caches and clients see it.
        changes.updatedAt = now;
      }
    }
    // After the tags: a change that tags and solves at once passes the "tag required to solve" setting.
    if (changes.status) await this.tagPolicy.checkStatusChange(ticket.id, changes.status, manager);
    if (timeline.length === 0) return { eventIds: [], changed: [] };
    await this.tickets.updateTicket(ticket.id, changes, manager);
    Object.assign(ticket, changes);
    const saved = await this.tickets.insertEvents(timeline, manager);
    return { eventIds: saved.map((event) => event.id), changed: saved.map((event) => event.type) };
  }

  /**
   * Merges duplicates into one ticket: their messages and tags move to the target, both sides record
   * it on their timeline, and the sources close pointing at the target.
   */
  async merge(targetId: string, sourceIds: string[], viewer: AuthUser): Promise<TicketSummaryDto> {
    const sources = [...new Set(sourceIds)];
    if (sources.includes(targetId)) throw new InvalidFieldError('sourceIds', 'a ticket cannot be merged into itself');
    const scope = await this.scopeOf(viewer);
    const target = await this.requireVisible(targetId, viewer, scope);
    const found = await Promise.all(sources.map((id) => this.requireVisible(id, viewer, scope)));
    const actor: Actor = { type: 'user', id: viewer.id };
    await this.outbox.transaction(async (manager, raise) => {
      // Lock in id order so two merges over the same tickets cannot deadlock.
      for (const id of [targetId, ...sources].sort()) await this.tickets.findForUpdate(id, manager);
      await this.tickets.moveIntoTicket(targetId, sources, manager);
      const merged = await this.addEvent(targetId, 'ticket.merged', actor, { ticketNumbers: found.map((ticket) => ticket.number) }, manager);
      raise({ name: 'ticket.updated', payload: { ticketId: targetId, eventIds: [merged.id], changed: ['ticket.merged'] } });
      for (const source of found) {
        const locked = await this.tickets.findForUpdate(source.id, manager);
        if (!locked) continue;
        const note = await this.addEvent(source.id, 'ticket.merged_into', actor, { ticketNumber: target.number }, manager);
        const { eventIds, changed } = await this.applyChanges(locked, { status: 'closed' }, actor, manager);
        raise({ name: 'ticket.updated', payload: { ticketId: source.id, eventIds: [note.id, ...eventIds], changed: ['ticket.merged_into', ...changed] } });
      }
    });
    const summary = await this.summary(targetId);
    if (!summary) throw new NotFoundError('Ticket');
    return summary;
  }

  /** A message's raw source, for whoever may read its ticket. */
  /**
   * The email frame's document for one message (mail/parse/email-frame.ts): readable by whoever may read the
   * ticket; the message's own inline images come as data: URLs, remote ones only when `remoteImages`.
   */
  async emailFrame(ticketId: string, messageId: string, viewer: AuthUser, remoteImages: boolean): Promise<string> {
    await this.requireVisible(ticketId, viewer);
    const message = await this.tickets.findMessage(messageId);
    if (!message || message.ticketId !== ticketId || message.bodyHtml === null) throw new NotFoundError('Message');
    const images = await this.tickets.findImagesWithContent(messageId, [...INLINE_SAFE_IMAGE_TYPES], MAX_INLINE_IMAGE_BYTES);
    const dataUrls = new Map(images.map((image) => [image.id, `data:${image.contentType.toLowerCase()};base64,${image.content.toString('base64')}`]));
    return emailFrameDocument(message.bodyHtml, { remoteImages, attachmentImage: (attachmentId) => dataUrls.get(attachmentId) ?? null });
  }

  /** An attachment with its bytes, for whoever may read its ticket. */
  async attachment(id: string, viewer: AuthUser): Promise<Attachment> {
    const attachment = await this.tickets.findAttachmentWithContent(id);
    if (!attachment || !inScope(await this.scopeOf(viewer), attachment.placement)) throw new NotFoundError('Attachment');
    return attachment;
  }

  async rawSource(ticketId: string, messageId: string, viewer: AuthUser): Promise<{ source: Buffer; ticketNumber: number }> {
    const ticket = await this.requireVisible(ticketId, viewer);
    const source = await this.tickets.rawSource(ticketId, messageId);
    if (!source) throw new NotFoundError('Message source');
    return { source, ticketNumber: ticket.number };
  }

  /** Deletes a ticket with its messages; its mail stays recorded as received, so it never comes back. */
  async delete(id: string, viewer: AuthUser): Promise<void> {
    await this.requireVisible(id, viewer);
    await this.outbox.transaction(async (manager, raise) => {
      await this.tickets.delete(id, manager);
      raise({ name: 'ticket.deleted', payload: { ticketId: id } });
    });
  }

  async addNote(id: string, body: string, viewer: AuthUser, mentionIds: string[] = []): Promise<MessageDto> {
    await this.requireVisible(id, viewer);
    const mentioned = [...new Set(mentionIds)];
    const found = (await this.users.findByIds(mentioned)).filter((user) => user.isActive).map((user) => user.id);
    const unknown = mentioned.filter((userId) => !found.includes(userId));
    if (unknown.length) throw new InvalidFieldError('mentionIds', `no active user ${unknown.join(', ')}`);
    const message = await this.outbox.transaction(async (manager, raise) => {
      const ticket = await this.tickets.findForUpdate(id, manager);
      if (!ticket) throw new NotFoundError('Ticket');
      const note = await this.appendMessage(ticket, { direction: 'note', authorId: viewer.id, fromName: viewer.name, bodyText: body, mentionIds: mentioned }, manager);
      raise({ name: 'message.created', payload: { ticketId: id, messageId: note.id } });
      return note;
    });
    return toMessageDto({ ...message, attachments: [] });
  }

  /**
   * Adds a message to a locked ticket and keeps the ticket's list fields (snippet, counts, activity) in
   * step, in the caller's transaction.
   */
  async appendMessage(ticket: Ticket, message: Partial<Message>, manager: EntityManager): Promise<Message> {
    const now = message.createdAt ?? this.clock.now();
    const [saved] = await this.tickets.insertMessages([{ ...message, ticketId: ticket.id, createdAt: now }], manager);
    const changes = activityAfter(ticket, message, now);
    await this.tickets.updateTicket(ticket.id, changes, manager);
    Object.assign(ticket, changes);
    return saved;
  }

  /** A ticket with its first message, in two statements (the list fields are set at insert). */
  async openTicketWithMessage(fields: Partial<Ticket> & Pick<Ticket, 'subject'>, message: Partial<Message>, manager: EntityManager): Promise<{ ticket: Ticket; message: Message }> {
    const now = message.createdAt ?? this.clock.now();
    const ticket = await this.openTicket({ ...fields, createdAt: now, ...activityAfter({ messageCount: 0, firstReplyAt: null }, message, now) }, manager);
    const [saved] = await this.tickets.insertMessages([{ ...message, ticketId: ticket.id, createdAt: now }], manager);
    return { ticket, message: saved };
  }

  /** Many messages for many tickets, written together (see MessageBatch); new tickets open as `openTicket` would. */
  messageBatch(): MessageBatch {
    return new MessageBatch(this.tickets, (at) => this.ticketDefaults(at));
  }

  /** A timeline row for the caller to insert (in bulk) within its transaction. */
  timelineEntry(ticketId: string, type: string, actor: Actor, data: Record<string, unknown>): Partial<TicketEvent> {
    return { ticketId, type, actorType: actor.type, actorId: actor.id, data, createdAt: this.clock.now() };
  }

  /**
   * Opens a ticket in the caller's transaction; the caller emits `ticket.created` after commit and opens it with
   * `awaitingRouting: true`, so live pushes wait until routing has placed it (RoutingEngine raises `ticket.routed`).
   */
  async openTicket(fields: Partial<Ticket> & Pick<Ticket, 'subject'>, manager: EntityManager): Promise<Ticket> {
    const [ticket] = await this.tickets.insertTickets([{ ...this.ticketDefaults(fields.createdAt ?? this.clock.now()), ...fields }], manager);
    return ticket;
  }

  private ticketDefaults(at: Date): Partial<Ticket> {
    return { status: 'new', priority: 'normal', createdAt: at, updatedAt: at, lastActivityAt: at, messageCount: 0 };
  }

  async addEvent(ticketId: string, type: string, actor: Actor, data: Record<string, unknown>, manager: EntityManager): Promise<TicketEvent> {
    const [event] = await this.tickets.insertEvents([{ ticketId, type, actorType: actor.type, actorId: actor.id, data, createdAt: this.clock.now() }], manager);
    return event;
  }
}
