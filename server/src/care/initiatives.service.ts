import { Injectable } from '@nestjs/common';
import type {
  CreateInitiativeRequest,
  ImpactDto,
  InitiativeCommentDto,
  InitiativeDto,
  InitiativeStatus,
  InitiativeTicketPageDto,
  MoveInitiativeRequest,
  UpdateInitiativeRequest,
} from '../../../contracts/care';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { InvalidFieldError, NotFoundError } from '../common/errors';
import { OutboxService } from '../outbox/outbox.service';
import { SearchIndexRepository } from '../tickets/search-index.repository';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import { computeImpact, WEEK_MS, WEEKS_AFTER, WEEKS_BEFORE } from './impact';
import type { InitiativeComment } from './initiative-comment.entity';
import type { Initiative } from './initiative.entity';
import { InitiativeRepository, type InitiativeRow } from './initiative.repository';

/** Statuses from "shipped" on: moving a card there without a shipped day stamps today. */
const SHIPPED_STATUSES: readonly InitiativeStatus[] = ['shipped', 'measuring', 'done'];
const TICKET_PAGE = 200;

function toInitiativeDto(row: InitiativeRow): InitiativeDto {
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    position: row.position,
    ownerId: row.ownerId,
    hypothesis: row.hypothesis,
    tags: row.tagNames,
    clusterId: row.clusterId,
    query: row.query,
    targetMetric: row.targetMetric,
    signalKey: row.signalKey,
    shippedAt: row.shippedAt?.toISOString() ?? null,
    ticketCount: row.ticketCount,
    commentCount: row.commentCount,
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

const toCommentDto = (comment: InitiativeComment & { authorName: string | null }): InitiativeCommentDto => ({
  id: comment.id,
  initiativeId: comment.initiativeId,
  authorId: comment.authorId,
  authorName: comment.authorName,
  body: comment.body,
  createdAt: new Date(comment.createdAt).toISOString(),
});

/** The care-initiative board: cards, moves, the tickets each initiative is about, comments and measured impact. */
@Injectable()
export class InitiativesService {
  constructor(
    private readonly initiatives: InitiativeRepository,
    private readonly users: UserRepository,
    private readonly ticketAccess: TicketsService,
    private readonly searchIndex: SearchIndexRepository,
    private readonly outbox: OutboxService,
    private readonly clock: Clock,
  ) {}

  async board(): Promise<InitiativeDto[]> {
    return (await this.initiatives.board()).map(toInitiativeDto);
  }

  async get(id: string): Promise<InitiativeDto> {
    return toInitiativeDto(await this.require(id));
  }

  /** Opens an initiative (from a signal or from scratch) and links the tickets that already match it. */
  async create(input: CreateInitiativeRequest & { tags: string[] }, creator: AuthUser): Promise<InitiativeDto> {
    await this.checkOwner(input.ownerId ?? null);
    const tagIds = await this.resolveTags(input.tags);
    const id = await this.outbox.transaction(async (manager, raise) => {
      const created = await this.initiatives.insert(
        {
          title: input.title,
          ownerId: input.ownerId ?? null,
          hypothesis: input.hypothesis ?? '',
          tagIds,
          clusterId: input.clusterId ?? null,
          query: input.query ?? null,
          targetMetric: input.targetMetric ?? '',
          signalKey: input.signalKey ?? null,
          createdById: creator.id,
        },
        manager,
      );
      await this.initiatives.linkAllMatching(created, this.clock.now(), manager);
      raise({ name: 'initiative.updated', payload: { initiativeId: created } });
      return created;
    });
    return this.get(id);
  }

  /** Edits fields; a changed definition (tags, cluster, query) relinks the initiative's tickets from scratch. */
  async update(id: string, input: UpdateInitiativeRequest): Promise<InitiativeDto> {
    const current = await this.require(id);
    if (input.ownerId !== undefined) await this.checkOwner(input.ownerId);
    const changes: Partial<Initiative> = {};
    for (const field of ['title', 'ownerId', 'hypothesis', 'clusterId', 'query', 'targetMetric'] as const) {
      if (input[field] !== undefined) Object.assign(changes, { [field]: input[field] });
    }
    if (input.tags) changes.tagIds = await this.resolveTags(input.tags);
    if (input.shippedAt !== undefined) changes.shippedAt = input.shippedAt === null ? null : new Date(input.shippedAt);
    const redefined = input.tags !== undefined || input.clusterId !== undefined || input.query !== undefined;
    if (redefined && (changes.tagIds ?? current.tagIds).length === 0 && (changes.clusterId ?? current.clusterId) === null && (changes.query ?? current.query) === null) {
      throw new InvalidFieldError('tags', 'give tags, a cluster or a query to say which tickets belong to it');
    }
    await this.outbox.transaction(async (manager, raise) => {
      await this.initiatives.update(id, changes, manager);
      raise({ name: 'initiative.updated', payload: { initiativeId: id } });
      if (!redefined) return;
      await this.initiatives.unlinkAll(id, manager);
      await this.initiatives.linkAllMatching(id, this.clock.now(), manager);
    });
    return this.get(id);
  }

  /** A drag on the board. Reaching "shipped" stamps the shipped day; going back before it clears it. */
  async move(id: string, { status, index }: MoveInitiativeRequest): Promise<InitiativeDto> {
    const current = await this.require(id);
    await this.outbox.transaction(async (manager, raise) => {
      await this.initiatives.move(id, status, index, manager);
      raise({ name: 'initiative.updated', payload: { initiativeId: id } });
      const shipped = SHIPPED_STATUSES.includes(status);
      if (shipped && !current.shippedAt) await this.initiatives.update(id, { shippedAt: this.clock.now() }, manager);
      if (!shipped && current.shippedAt) await this.initiatives.update(id, { shippedAt: null }, manager);
    });
    return this.get(id);
  }

  async tickets(id: string, viewer: AuthUser): Promise<InitiativeTicketPageDto> {
    await this.require(id);
    const page = await this.initiatives.tickets(id, await this.ticketAccess.scopeOf(viewer), TICKET_PAGE);
    return {
      total: page.total,
      items: page.items.map((row) => ({
        id: row.id,
        number: row.number,
        subject: row.subject,
        status: row.status,
        createdAt: row.created_at.toISOString(),
        linkedAt: row.linked_at.toISOString(),
      })),
    };
  }

  /** Weekly ticket rate around the shipped day (or the last weeks until now) and the change against before. */
  async impact(id: string): Promise<ImpactDto> {
    const initiative = await this.require(id);
    const now = this.clock.now();
    if (!initiative.shippedAt) {
      const anchor = new Date(now.getTime() - WEEKS_BEFORE * WEEK_MS);
      return computeImpact(await this.initiatives.weeklyCounts(id, anchor, 0, WEEKS_BEFORE), anchor, null, now);
    }
    const weeksSinceShipped = Math.floor((now.getTime() - initiative.shippedAt.getTime()) / WEEK_MS);
    const counts = await this.initiatives.weeklyCounts(id, initiative.shippedAt, -WEEKS_BEFORE, Math.max(0, Math.min(WEEKS_AFTER, weeksSinceShipped)));
    return computeImpact(counts, initiative.shippedAt, initiative.shippedAt, now);
  }

  async comments(id: string): Promise<InitiativeCommentDto[]> {
    await this.require(id);
    return (await this.initiatives.comments(id)).map(toCommentDto);
  }

  async addComment(id: string, body: string, author: AuthUser): Promise<InitiativeCommentDto> {
    await this.require(id);
    const commentId = await this.outbox.transaction(async (manager, raise) => {
      const inserted = await this.initiatives.insertComment({ initiativeId: id, authorId: author.id, body, createdAt: this.clock.now() }, manager);
      raise({ name: 'initiative.comment_added', payload: { initiativeId: id, commentId: inserted } });
      return inserted;
    });
    return this.comment(commentId);
  }

  async comment(id: string): Promise<InitiativeCommentDto> {
    const comment = await this.initiatives.findComment(id);
    if (!comment) throw new NotFoundError('Comment');
    return toCommentDto(comment);
  }

  /**
   * Links arriving, retagged or clustered tickets to the open initiatives they match (one statement for the
   * batch), and says so live: once per initiative, with all of its newly linked tickets.
   */
  async linkTickets(ticketIds: string[]): Promise<void> {
    // An initiative's query matches the tickets' words: those still queued for the search index go in first.
    await this.searchIndex.indexTickets(ticketIds);
    await this.outbox.transaction(async (manager, raise) => {
      const linked = new Map<string, string[]>();
      for (const { initiativeId, ticketId } of await this.initiatives.linkTickets(ticketIds, this.clock.now(), manager)) linked.set(initiativeId, [...(linked.get(initiativeId) ?? []), ticketId]);
      for (const [initiativeId, ids] of linked) raise({ name: 'initiative.tickets_linked', payload: { initiativeId, ticketIds: ids } });
    });
  }

  async onTagMerged(fromTagId: string, intoTagId: string): Promise<void> {
    await this.outbox.transaction(async (manager, raise) => {
      for (const initiativeId of await this.initiatives.replaceTag(fromTagId, intoTagId, manager)) raise({ name: 'initiative.updated', payload: { initiativeId } });
    });
  }

  private async require(id: string): Promise<InitiativeRow> {
    const initiative = await this.initiatives.findById(id);
    if (!initiative) throw new NotFoundError('Initiative');
    return initiative;
  }

  private async checkOwner(ownerId: string | null): Promise<void> {
    if (ownerId && !(await this.users.findById(ownerId))?.isActive) throw new InvalidFieldError('ownerId', 'no active user with this id');
  }

  private async resolveTags(names: string[]): Promise<string[]> {
    const ids = await this.initiatives.tagIds(names);
    if (ids.length !== new Set(names).size) throw new InvalidFieldError('tags', 'every tag must exist');
    return ids;
  }
}
