import { Injectable } from '@nestjs/common';
import type { SignalDto, SignalsDto, TicketFlagDto } from '../../../../contracts/care';
import type { AuthUser } from '../../auth/auth.decorators';
import { Clock } from '../../common/clock';
import { TicketsService } from '../../tickets/tickets.service';
import { TagSettingsRepository } from '../tag-settings.repository';
import { clusterText } from '../ticket-text';
import { TicketTextRepository } from '../ticket-text.repository';
import { assessPattern, BASELINE_WEEKS, compareSignals, isSignal, WINDOW_DAYS } from './signal-math';
import { SignalsRepository } from './signals.repository';
import { TicketClustersRepository } from './ticket-clusters.repository';
import { TicketFlagsRepository } from './ticket-flags.repository';
import { OutboxService } from '../../outbox/outbox.service';

/** The sparkline's length; the recurring rule may need more weeks, the baseline needs BASELINE_WEEKS + 1. */
const SHOWN_WEEKS = 12;
const DAY_MS = 86_400_000;

const utcDay = (date: Date) => date.toISOString().slice(0, 10);

/** Rising and recurring patterns over tags and clusters of untagged tickets, read from the rollups. */
@Injectable()
export class SignalsService {
  constructor(
    private readonly signals: SignalsRepository,
    private readonly settings: TagSettingsRepository,
    private readonly clusters: TicketClustersRepository,
    private readonly flags: TicketFlagsRepository,
    private readonly texts: TicketTextRepository,
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
    private readonly outbox: OutboxService,
  ) {}

  async list(limit: number, viewer: AuthUser): Promise<SignalsDto> {
    const now = this.clock.now();
    const today = utcDay(now);
    const windowStart = new Date(Date.parse(today) - (WINDOW_DAYS - 1) * DAY_MS);
    const settings = await this.settings.get();
    const weeks = Math.max(SHOWN_WEEKS, BASELINE_WEEKS + 1, settings.recurringWeeks);
    const [patterns, flags, scope] = await Promise.all([
      this.signals.weeklyCounts(today, weeks),
      this.signals.flagCounts(windowStart),
      this.tickets.scopeOf(viewer),
    ]);
    const ranked = patterns
      .map((pattern) => {
        const key = `${pattern.kind}:${pattern.id}`;
        const patternFlags = flags.get(key) ?? 0;
        return { key, pattern, flags: patternFlags, ...assessPattern({ weeksAgo: pattern.weeksAgo, flags: patternFlags }, settings) };
      })
      .filter(isSignal)
      .sort(compareSignals)
      .slice(0, limit);
    const details = await this.signals.details(
      ranked.map(({ pattern }) => pattern),
      today,
      scope,
    );
    return {
      windowStart: windowStart.toISOString(),
      windowEnd: now.toISOString(),
      signals: ranked.map(({ key, pattern, ...assessment }): SignalDto => {
        const detail = details.get(key);
        return {
          key,
          kind: pattern.kind,
          tagId: pattern.kind === 'tag' ? pattern.id : null,
          clusterId: pattern.kind === 'cluster' ? pattern.id : null,
          label: pattern.label,
          color: pattern.color,
          volume: assessment.volume,
          baselineWeekly: assessment.baselineWeekly,
          changePct: assessment.changePct,
          zScore: assessment.zScore,
          pValue: assessment.pValue,
          rising: assessment.rising,
          recurring: assessment.recurring,
          customers: detail?.customers ?? 0,
          firstCycleShare: assessment.volume > 0 ? pattern.firstCycle / assessment.volume : null,
          flags: assessment.flags,
          weekly: pattern.weeksAgo.slice(0, SHOWN_WEEKS).reverse(),
          examples: detail?.examples ?? [],
        };
      }),
    };
  }

  /** Places arriving tickets in clusters of similar tickets (a no-op for one already placed). */
  async clusterTickets(ticketIds: string[]): Promise<void> {
    const candidates = (await this.texts.textsOf(ticketIds)).flatMap((text) => {
      const normalised = clusterText(text);
      return normalised ? [{ ticketId: text.ticketId, text: normalised, label: text.subject }] : [];
    });
    if (candidates.length === 0) return;
    await this.outbox.transaction(async (manager, raise) => {
      for (const placed of await this.clusters.assign(candidates, manager)) raise({ name: 'ticket.clustered', payload: placed });
    });
  }

  async flag(ticketId: string, note: string | null, viewer: AuthUser): Promise<TicketFlagDto> {
    await this.tickets.requireVisible(ticketId, viewer);
    await this.flags.add(ticketId, viewer.id, note, this.clock.now());
    return { ticketId, ...(await this.flags.summary(ticketId, viewer.id)) };
  }

  async unflag(ticketId: string, viewer: AuthUser): Promise<TicketFlagDto> {
    await this.tickets.requireVisible(ticketId, viewer);
    await this.flags.remove(ticketId, viewer.id);
    return { ticketId, ...(await this.flags.summary(ticketId, viewer.id)) };
  }

  async flagSummary(ticketId: string, viewer: AuthUser): Promise<TicketFlagDto> {
    await this.tickets.requireVisible(ticketId, viewer);
    return { ticketId, ...(await this.flags.summary(ticketId, viewer.id)) };
  }
}
