import { Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import type {
  AgentRowDto,
  AgentsReportDto,
  DistributionBucketDto,
  DurationStatDto,
  HeadlineDto,
  OverviewDto,
  ReportPeriodDto,
  ReportQuery,
  ReportTicketPageDto,
  ReportTicketPageQuery,
  ReportTicketRowDto,
  ReportTicketsDto,
  ReportTicketsQuery,
  ResolutionDto,
  ResponseTimesDto,
  SatisfactionReportDto,
  SlaAchievementDto,
  VolumeDto,
} from '../../../contracts/reports';
import { CSAT_GOOD_SCORE, type BadRatingReason } from '../../../contracts/surveys';
import type { AuthUser } from '../auth/auth.decorators';
import { Clock } from '../common/clock';
import { InvalidFieldError } from '../common/errors';
import { TicketsService } from '../tickets/tickets.service';
import { ReportFigures } from './report-figures.service';
import { ReportSettingsService } from './report-settings.service';
import { ReportsRepository, type AgentRow, type ReportFilters, type ReportRange, type StatRow, type TicketRow } from './reports.repository';

/** A resolved period: this one and the one just before it, of the same length. */
export interface ResolvedPeriod {
  current: ReportRange;
  previous: ReportRange;
  dto: ReportPeriodDto;
}

const MAX_DAYS = 731;
const DRILL_LIMIT = 500;
/** First reply time distribution: the bars of the Response times page, in seconds. */
const REPLY_BUCKETS = [
  { label: 'Under 1 h', minSeconds: 0, maxSeconds: 3_600 },
  { label: '1–4 h', minSeconds: 3_600, maxSeconds: 14_400 },
  { label: '4–8 h', minSeconds: 14_400, maxSeconds: 28_800 },
  { label: '8–24 h', minSeconds: 28_800, maxSeconds: 86_400 },
  { label: '1–3 days', minSeconds: 86_400, maxSeconds: 259_200 },
  { label: 'Over 3 days', minSeconds: 259_200, maxSeconds: null },
] as const;

const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);
const round = (value: number | null) => (value === null ? null : Math.round(Number(value)));
const toStat = (row: StatRow): DurationStatDto => ({ median: round(row.median), p90: round(row.p90), count: Number(row.count) });

/**
 * The service reports. Every figure reads the rollups the reports listener keeps (report-metrics.ts defines
 * each metric); this service cuts periods in the workspace's time zone, compares with the previous period, and
 * applies the one access rule: agents see their own figures, care owners the workspace's totals, leads and
 * admins everyone's.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly figures: ReportFigures,
    private readonly settings: ReportSettingsService,
    private readonly ticketAccess: TicketsService,
    private readonly clock: Clock,
  ) {}

  async period(query: Pick<ReportQuery, 'from' | 'to'>): Promise<ResolvedPeriod> {
    const settings = await this.settings.get();
    const { timeZone } = settings;
    const recutting = await this.settings.recutting(settings);
    const today = DateTime.fromJSDate(this.clock.now(), { zone: timeZone }).startOf('day');
    const from = query.from ? DateTime.fromISO(query.from, { zone: timeZone }) : today.minus({ days: 29 });
    const to = query.to ? DateTime.fromISO(query.to, { zone: timeZone }) : query.from ? from.plus({ days: 29 }) : today;
    if (!from.isValid) throw new InvalidFieldError('from', 'not a valid day');
    if (!to.isValid) throw new InvalidFieldError('to', 'not a valid day');
    const days = Math.round(to.diff(from, 'days').days) + 1;
    if (days < 1) throw new InvalidFieldError('to', 'must not be before from');
    if (days > MAX_DAYS) throw new InvalidFieldError('to', `a period is at most ${MAX_DAYS} days`);
    const start = from.startOf('day');
    const end = to.plus({ days: 1 }).startOf('day');
    const previousStart = start.minus({ days });
    return {
      current: { start: start.toJSDate(), end: end.toJSDate(), timeZone },
      previous: { start: previousStart.toJSDate(), end: start.toJSDate(), timeZone },
      dto: { from: start.toISODate(), to: to.toISODate(), previousFrom: previousStart.toISODate(), previousTo: start.minus({ days: 1 }).toISODate(), timeZone, recutting },
    };
  }

  /** The filters a viewer may use: an agent's figures are always their own. */
  filtersFor(query: ReportFilters & Partial<ReportQuery>, viewer: AuthUser): ReportFilters {
    const { teamId, agentId, mailboxId, tagId, priority, plan, cycle } = query;
    return { teamId, agentId: viewer.role === 'agent' ? viewer.id : agentId, mailboxId, tagId, priority, plan, cycle };
  }

  async overview(query: ReportQuery, viewer: AuthUser): Promise<OverviewDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const figures = (range: ReportRange) =>
      Promise.all([
        this.figures.volume(range, filters),
        this.figures.replyStats(range, filters, true),
        this.figures.resolution(range, filters),
        this.figures.csat(range, filters),
        this.repository.sla(range, filters),
      ]);
    const [[volume, reply, resolution, csat, sla], [previousVolume, previousReply, previousResolution, previousCsat, previousSla], replyDays, resolutionDays, csatDays] = await Promise.all([
      figures(period.current),
      figures(period.previous),
      this.figures.firstReplyDays(period.current, filters),
      this.figures.resolutionDays(period.current, filters),
      this.figures.csatDays(period.current, filters),
    ]);
    const days = volume.map((day) => day.day);
    const series = <T extends { day: string }>(rows: T[], value: (row: T) => number | null) => {
      const byDay = new Map(rows.map((row) => [row.day, value(row)]));
      return days.map((day) => ({ day, value: byDay.get(day) ?? null }));
    };
    const sum = (rows: { created: number; solved: number }[], key: 'created' | 'solved') => rows.reduce((total, row) => total + row[key], 0);
    const slaPercent = (rows: { total: number; met: number }[]) => percent(rows.reduce((a, row) => a + row.met, 0), rows.reduce((a, row) => a + row.total, 0));
    const headline = (fields: Omit<HeadlineDto, 'series'> & { series?: HeadlineDto['series'] }): HeadlineDto => ({ series: [], ...fields });
    return {
      period: period.dto,
      headlines: [
        headline({ key: 'created', label: 'Tickets created', unit: 'count', value: sum(volume, 'created'), previous: sum(previousVolume, 'created'), goodWhen: 'down', series: series(volume, (row) => row.created), drill: 'created' }),
        headline({ key: 'solved', label: 'Tickets solved', unit: 'count', value: sum(volume, 'solved'), previous: sum(previousVolume, 'solved'), goodWhen: 'up', series: series(volume, (row) => row.solved), drill: 'solved' }),
        headline({ key: 'backlog', label: 'Unsolved at period end', unit: 'count', value: volume.at(-1)?.backlog ?? null, previous: previousVolume.at(-1)?.backlog ?? null, goodWhen: 'down', series: series(volume, (row) => row.backlog), drill: 'unsolved' }),
        headline({ key: 'first_reply', label: 'First reply time (median)', unit: 'seconds', value: round(reply.calendar.median), previous: round(previousReply.calendar.median), goodWhen: 'down', series: series(replyDays, (row) => round(row.firstReplyMedian)), drill: 'first_reply' }),
        headline({ key: 'first_reply_business', label: 'First reply, business hours (median)', unit: 'seconds', value: round(reply.business.median), previous: round(previousReply.business.median), goodWhen: 'down', series: series(replyDays, (row) => round(row.firstReplyBusinessMedian)), drill: 'first_reply' }),
        headline({ key: 'full_resolution', label: 'Full resolution time (median)', unit: 'seconds', value: round(resolution.full.median), previous: round(previousResolution.full.median), goodWhen: 'down', series: series(resolutionDays, (row) => round(row.fullResolutionMedian)), drill: 'resolution' }),
        headline({ key: 'one_touch', label: 'One-touch resolution', unit: 'percent', value: percent(resolution.oneTouch, resolution.solved), previous: percent(previousResolution.oneTouch, previousResolution.solved), goodWhen: 'up', series: series(resolutionDays, (row) => percent(row.oneTouch, row.solved)), drill: 'one_touch' }),
        headline({ key: 'csat', label: 'Satisfaction (CSAT)', unit: 'percent', value: percent(csat.good, csat.answers), previous: percent(previousCsat.good, previousCsat.answers), goodWhen: 'up', series: series(csatDays, (row) => percent(row.good, row.answers)), drill: 'csat_good' }),
        headline({ key: 'sla', label: 'SLA targets met', unit: 'percent', value: slaPercent(sla), previous: slaPercent(previousSla), goodWhen: 'up', drill: 'sla_breached' }),
      ],
    };
  }

  async volume(query: ReportQuery, viewer: AuthUser): Promise<VolumeDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const [days, heatmap] = await Promise.all([this.figures.volume(period.current, filters), this.figures.heatmap(period.current, filters)]);
    return { period: period.dto, days, heatmap };
  }

  async responseTimes(query: ReportQuery, viewer: AuthUser): Promise<ResponseTimesDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const bounds = REPLY_BUCKETS.slice(1).map((bucket) => bucket.minSeconds);
    const scope = await this.ticketAccess.scopeOf(viewer);
    const [first, previous, next, distribution, days, waiting] = await Promise.all([
      this.figures.replyStats(period.current, filters, true),
      this.figures.replyStats(period.previous, filters, true),
      this.figures.replyStats(period.current, filters, false),
      this.figures.firstReplyDistribution(period.current, filters, bounds),
      this.figures.firstReplyDays(period.current, filters),
      this.repository.waiting(filters, scope, 10),
    ]);
    const counts = new Map(distribution.map((row) => [row.bucket, row.count]));
    const now = this.clock.now().getTime();
    return {
      period: period.dto,
      firstReply: { calendar: toStat(first.calendar), business: toStat(first.business), previousCalendar: toStat(previous.calendar), previousBusiness: toStat(previous.business) },
      nextReply: { calendar: toStat(next.calendar), business: toStat(next.business) },
      // width_bucket numbers the buckets from 0 (below the first bound) upwards.
      distribution: REPLY_BUCKETS.map((bucket, index): DistributionBucketDto => ({ ...bucket, count: counts.get(index) ?? 0 })),
      days: days.map((day) => ({ ...day, firstReplyMedian: round(day.firstReplyMedian), firstReplyBusinessMedian: round(day.firstReplyBusinessMedian) })),
      waiting: {
        count: waiting.count,
        oldest: waiting.oldest.map((ticket) => ({ ticketId: ticket.ticketId, number: ticket.number, subject: ticket.subject, waitingSeconds: Math.round((now - new Date(ticket.firstInboundAt).getTime()) / 1000) })),
      },
    };
  }

  async resolution(query: ReportQuery, viewer: AuthUser): Promise<ResolutionDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const [resolution, days] = await Promise.all([this.figures.resolution(period.current, filters), this.figures.resolutionDays(period.current, filters)]);
    return {
      period: period.dto,
      firstResolution: toStat(resolution.first),
      fullResolution: toStat(resolution.full),
      repliesToResolve: { median: resolution.replies.median === null ? null : Number(resolution.replies.median), p90: resolution.replies.p90 === null ? null : Number(resolution.replies.p90), count: resolution.replies.count },
      oneTouch: { solved: resolution.solved, oneTouch: resolution.oneTouch, percent: percent(resolution.oneTouch, resolution.solved) },
      days: days.map((day) => ({ day: day.day, solved: day.solved, fullResolutionMedian: round(day.fullResolutionMedian), oneTouchPercent: percent(day.oneTouch, day.solved) })),
    };
  }

  async sla(query: ReportQuery, viewer: AuthUser): Promise<SlaAchievementDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const [kinds, previous] = await Promise.all([this.repository.sla(period.current, filters), this.repository.sla(period.previous, filters)]);
    const before = new Map(previous.map((row) => [row.kind, percent(row.met, row.total)]));
    return { period: period.dto, kinds: kinds.map((row) => ({ ...row, percentMet: percent(row.met, row.total), previousPercentMet: before.get(row.kind) ?? null })) };
  }

  async satisfaction(query: ReportQuery, viewer: AuthUser): Promise<SatisfactionReportDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const [csat, previous, days, list] = await Promise.all([
      this.figures.csat(period.current, filters),
      this.figures.csat(period.previous, filters),
      this.figures.csatDays(period.current, filters),
      this.repository.csatAnswers(period.current, filters, 200),
    ]);
    return {
      period: period.dto,
      answers: csat.answers,
      good: csat.good,
      bad: csat.answers - csat.good,
      percentGood: percent(csat.good, csat.answers),
      previousPercentGood: percent(previous.good, previous.answers),
      surveysSent: csat.sent,
      responseRate: percent(csat.answers, csat.sent),
      days: days.map((day) => ({ day: day.day, answers: day.answers, percentGood: percent(day.good, day.answers) })),
      list: list.map((row) => ({
        ...row,
        reason: row.reason as BadRatingReason | null,
        good: row.kind === 'csat' ? row.score >= CSAT_GOOD_SCORE : null,
        answeredAt: new Date(row.answeredAt).toISOString(),
        voidedAt: row.voidedAt ? new Date(row.voidedAt).toISOString() : null,
      })),
    };
  }

  async agents(query: ReportQuery, viewer: AuthUser): Promise<AgentsReportDto> {
    const period = await this.period(query);
    const rows = (await this.figures.agents(period.current, this.filtersFor(query, viewer))).filter((row) => viewer.role !== 'agent' || row.agentId === viewer.id);
    const totals = rows.reduce<AgentRow>(
      (sum, row) => ({
        agentId: null,
        name: 'Everyone',
        solved: sum.solved + row.solved,
        oneTouch: sum.oneTouch + row.oneTouch,
        replies: sum.replies + row.replies,
        firstReplyMedian: null,
        csatAnswers: sum.csatAnswers + row.csatAnswers,
        csatGood: sum.csatGood + row.csatGood,
      }),
      { agentId: null, name: 'Everyone', solved: 0, oneTouch: 0, replies: 0, firstReplyMedian: null, csatAnswers: 0, csatGood: 0 },
    );
    const overall = await this.figures.replyStats(period.current, this.filtersFor(query, viewer), true);
    totals.firstReplyMedian = overall.calendar.median;
    return {
      period: period.dto,
      rows: viewer.role === 'care_owner' ? [] : rows.filter((row) => row.agentId !== null).map(toAgentDto),
      totals: toAgentDto(totals),
    };
  }

  async tickets(query: ReportTicketsQuery, viewer: AuthUser): Promise<ReportTicketsDto> {
    const period = await this.period(query);
    const { rows, total } = await this.repository.tickets(period.current, query, this.filtersFor(query, viewer), await this.ticketAccess.scopeOf(viewer), DRILL_LIMIT);
    return { tickets: rows.map(toTicketRowDto), total };
  }

  /**
   * A page of the tickets behind a number as the inbox lists them (the same summaries as any inbox view), in
   * the drill-down's order; the one ticket access rule leaves out tickets of teams the viewer may not read.
   */
  async ticketPage(query: ReportTicketPageQuery, viewer: AuthUser): Promise<ReportTicketPageDto> {
    const period = await this.period(query);
    const filters = this.filtersFor(query, viewer);
    const scope = await this.ticketAccess.scopeOf(viewer);
    const offset = query.cursor ? Number(query.cursor) : 0;
    const [ids, total] = await Promise.all([
      this.repository.ticketIds(period.current, query, filters, scope, offset, query.limit + 1),
      offset === 0 ? this.repository.ticketCount(period.current, query, filters, scope) : Promise.resolve(null),
    ]);
    const listed = ids.slice(0, query.limit);
    const summaries = await this.ticketAccess.summaries(listed);
    return {
      items: listed.flatMap((id) => summaries.get(id) ?? []),
      nextCursor: ids.length > query.limit ? String(offset + query.limit) : null,
      total,
    };
  }

  /** Pages of the per-ticket export: every ticket created in the period with its figures. */
  async *ticketExport(query: ReportQuery, viewer: AuthUser): AsyncGenerator<ReportTicketRowDto[]> {
    const period = await this.period(query);
    for await (const page of this.repository.ticketPages(period.current, this.filtersFor(query, viewer), await this.ticketAccess.scopeOf(viewer), 5_000)) yield page.map(toTicketRowDto);
  }
}

function toAgentDto(row: AgentRow): AgentRowDto {
  return {
    agentId: row.agentId,
    name: row.name ?? 'Unassigned',
    solved: row.solved,
    replies: row.replies,
    firstReplyMedian: round(row.firstReplyMedian),
    csatPercent: percent(row.csatGood, row.csatAnswers),
    csatAnswers: row.csatAnswers,
    oneTouchPercent: percent(row.oneTouch, row.solved),
  };
}

function toTicketRowDto(row: TicketRow): ReportTicketRowDto {
  return { ...row, createdAt: new Date(row.createdAt).toISOString() };
}
