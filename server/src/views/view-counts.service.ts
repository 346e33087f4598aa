import { Injectable } from '@nestjs/common';
import { BUILTIN_VIEWS, SAVED_VIEW_PREFIX, TEAM_VIEW_PREFIX, teamViewFilter, VIEW_COUNT_CAP, type ViewCountsDto, type ViewFilter } from '../../../contracts/views';
import type { AuthUser } from '../auth/auth.decorators';
import type { TicketScope } from '../tickets/ticket-access';
import { TicketRepository } from '../tickets/ticket.repository';
import { TicketsService } from '../tickets/tickets.service';
import { SavedViewRepository } from './saved-view.repository';

/** A count is reused this long while no ticket changes in this process (changes elsewhere show after it). */
const MAX_AGE_MS = 10_000;

interface CachedCount {
  at: number;
  generation: number;
  count: Promise<number>;
}

/**
 * The sidebar's view counts, kept cheap at scale: each count reads at most VIEW_COUNT_CAP + 1 entries of
 * the ticket indexes (a LIMIT inside the count, "999+" beyond), and counts are cached per filter and
 * visibility: after a change, the first agent's request recounts and every other agent's request shares
 * that count (clients ask at most about once a second). Ticket changes in this process expire the cache;
 * changes made by other instances show within MAX_AGE_MS.
 */
@Injectable()
export class ViewCountsService {
  private readonly cache = new Map<string, CachedCount>();
  private generation = 0;

  constructor(
    private readonly tickets: TicketRepository,
    private readonly ticketAccess: TicketsService,
    private readonly savedViews: SavedViewRepository,
  ) {}

  expire(): void {
    this.generation++;
  }

  async counts(viewer: AuthUser): Promise<ViewCountsDto> {
    const saved = await this.savedViews.visibleTo(viewer.id);
    const views: [string, ViewFilter][] = [
      ...BUILTIN_VIEWS.map((view) => [view.id, view.filter] as [string, ViewFilter]),
      ...viewer.teamIds.map((teamId) => [`${TEAM_VIEW_PREFIX}${teamId}`, teamViewFilter(teamId)] as [string, ViewFilter]),
      ...saved.map((view) => [`${SAVED_VIEW_PREFIX}${view.id}`, view.filter] as [string, ViewFilter]),
    ];
    const scope = await this.ticketAccess.scopeOf(viewer);
    const counted = await Promise.all(views.map(([, filter]) => this.count(filter, viewer, scope)));
    return { counts: Object.fromEntries(views.map(([id], index) => [id, { count: Math.min(counted[index], VIEW_COUNT_CAP), capped: counted[index] > VIEW_COUNT_CAP }])) };
  }

  private count(filter: ViewFilter, viewer: AuthUser, scope: TicketScope): Promise<number> {
    // Only "me" and hidden teams make a count personal; everything else is shared between agents.
    const key = JSON.stringify([filter, filter.assignee === 'me' ? viewer.id : null, [...scope.hiddenTeamIds].sort(), scope.hidesUnrouted]);
    const now = Date.now();
    const cached = this.cache.get(key);
    if (cached && cached.generation === this.generation && now - cached.at < MAX_AGE_MS) return cached.count;
    const count = this.tickets.countUpTo(this.ticketAccess.ticketFilter(filter, viewer, scope), VIEW_COUNT_CAP);
    this.cache.set(key, { at: now, generation: this.generation, count });
    count.catch(() => this.cache.delete(key));
    return count;
  }
}
