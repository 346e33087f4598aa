import { Injectable } from '@nestjs/common';
import { stringify } from 'csv-stringify/sync';
import {
  RETENTION_DAYS,
  type ChurnDto,
  type ChurnSplitDto,
  type CohortsDto,
  type Cycle1Dto,
  type DrillDownDto,
  type DrillDownQuery,
  type JourneyEffectsDto,
  type JourneyGroupDto,
  type MetricsPeriodQuery,
  type NpsDto,
  type NpsMonthDto,
  type TicketsPreventedDto,
} from '../../../../contracts/care-metrics';
import { NPS_DETRACTOR_MAX, NPS_PROMOTER_MIN, npsGroup, type NpsGroup } from '../../../../contracts/surveys';
import type { AuthUser } from '../../auth/auth.decorators';
import { Clock } from '../../common/clock';
import { InvalidFieldError } from '../../common/errors';
import { BASELINE_WEEKS } from '../../tags/signals/signal-math';
import { TicketsService } from '../../tickets/tickets.service';
import { InitiativesService } from '../initiatives.service';
import { CareMetricsRepository, DRILL_DOWN_SOURCES, type DrillDownRow, type JourneyEffectRow, type NpsMonthRow } from './care-metrics.repository';
import { churnVerdict, MIN_GROUP, npsCounts, proportionDifference, rateDifference, sumIntervals, ticketsPrevented } from './metrics-math';

/** Rows a drill-down shows; its CSV carries up to the larger number. */
const DRILL_DOWN_ROWS = 200;
const DRILL_DOWN_CSV_ROWS = 100_000;
/** NPS comments the dashboard lists. */
const NPS_COMMENTS = 20;
const NPS_SCORE_RANGE: Record<NpsGroup | 'all', [number, number]> = {
  all: [0, 10],
  promoters: [NPS_PROMOTER_MIN, 10],
  passives: [NPS_DETRACTOR_MAX + 1, NPS_PROMOTER_MIN - 1],
  detractors: [0, NPS_DETRACTOR_MAX],
};

const monthStart = (date: Date) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), 1));
const addMonths = (date: Date, months: number) => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, 1));
const parseMonth = (month: string) => new Date(`${month}-01T00:00:00.000Z`);
const monthLabel = (date: Date) => date.toISOString().slice(0, 7);
const rate = (events: number, total: number) => (total > 0 ? events / total : null);
const split = (customers: number, churned: number): ChurnSplitDto => ({ customers, churned, churnRate: rate(churned, customers) });

interface Period {
  from: Date;
  /** Exclusive: the start of the month after `to`. */
  until: Date;
}

/**
 * The care metrics, each defined once (here, over the subscription spells, and in the README's "Care metrics"):
 * churn and active subscribers by month, retention cohorts, the cycle-1 question, journeys' effect against their
 * holdouts, and tickets prevented by shipped initiatives; and the customers behind each figure.
 */
@Injectable()
export class CareMetricsService {
  constructor(
    private readonly metrics: CareMetricsRepository,
    private readonly initiatives: InitiativesService,
    private readonly clock: Clock,
    private readonly tickets: TicketsService,
  ) {}

  /** Whole UTC months, `to` inclusive; the last 12 months (this one included) by default. */
  private period(query: MetricsPeriodQuery): Period {
    const current = monthStart(this.clock.now());
    const to = query.to ? parseMonth(query.to) : current;
    const from = query.from ? parseMonth(query.from) : addMonths(to, -11);
    return { from, until: addMonths(to, 1) };
  }

  async churn(query: MetricsPeriodQuery): Promise<ChurnDto> {
    const { from, until } = this.period(query);
    const now = this.clock.now();
    const [rows, activeNow] = await Promise.all([this.metrics.churnMonths(from, until), this.metrics.activeAt(now)]);
    return {
      from: monthLabel(from),
      to: monthLabel(addMonths(until, -1)),
      activeNow,
      months: rows.map((row) => ({
        month: monthLabel(row.month),
        activeAtStart: row.active_at_start,
        started: row.started,
        cancelled: row.cancelled,
        voluntary: row.voluntary,
        involuntary: row.involuntary,
        unspecified: row.cancelled - row.voluntary - row.involuntary,
        churnRate: rate(row.cancelled, row.active_at_start),
        voluntaryRate: rate(row.voluntary, row.active_at_start),
        involuntaryRate: rate(row.involuntary, row.active_at_start),
        complete: addMonths(row.month, 1) <= now,
      })),
    };
  }

  async cohorts(query: MetricsPeriodQuery): Promise<CohortsDto> {
    const { from, until } = this.period(query);
    const rows = await this.metrics.cohorts(from, until, this.clock.now(), RETENTION_DAYS);
    return {
      from: monthLabel(from),
      to: monthLabel(addMonths(until, -1)),
      cohorts: rows.map((row) => ({
        month: monthLabel(row.month),
        size: row.size,
        cells: RETENTION_DAYS.map((day, index) => ({ day, eligible: row.eligible[index], retained: row.retained[index], share: rate(row.retained[index], row.eligible[index]) })),
      })),
    };
  }

  async cycle1(query: MetricsPeriodQuery): Promise<Cycle1Dto> {
    const { from, until } = this.period(query);
    const rows = await this.metrics.cycle1(from, until, this.clock.now());
    const others = rows.find((row) => row.tag === null) ?? { customers: 0, churned: 0 };
    const openers = rows.find((row) => row.tag === '') ?? { customers: 0, churned: 0 };
    const difference = proportionDifference(openers.churned, openers.customers, others.churned, others.customers);
    return {
      from: monthLabel(from),
      to: monthLabel(addMonths(until, -1)),
      openers: split(openers.customers, openers.churned),
      others: split(others.customers, others.churned),
      difference,
      verdict: churnVerdict(difference, [openers.customers, others.customers], 'subscribers with a first-cycle ticket', 'those without'),
      byTag: rows
        .filter((row) => row.tag)
        .sort((a, b) => b.customers - a.customers || (a.tag ?? '').localeCompare(b.tag ?? ''))
        .map((row) => ({ tag: row.tag ?? '', openers: split(row.customers, row.churned), difference: proportionDifference(row.churned, row.customers, others.churned, others.customers) })),
    };
  }

  async journeyEffects(): Promise<JourneyEffectsDto> {
    const rows = await this.metrics.journeyEffects(this.clock.now());
    const byJourney = new Map<string, { reached?: JourneyEffectRow; heldOut?: JourneyEffectRow; first: JourneyEffectRow }>();
    for (const row of rows) {
      const entry = byJourney.get(row.journey_id) ?? { first: row };
      entry[row.held_out ? 'heldOut' : 'reached'] = row;
      byJourney.set(row.journey_id, entry);
    }
    const group = (row: JourneyEffectRow | undefined): JourneyGroupDto => {
      const customers = row?.customers ?? 0;
      return { customers, churned: row?.churned ?? 0, churnRate: rate(row?.churned ?? 0, customers), tickets: row?.tickets ?? 0, ticketsPerCustomer: rate(row?.tickets ?? 0, customers) };
    };
    return {
      journeys: [...byJourney.values()].map(({ reached, heldOut, first }) => {
        const a = group(reached);
        const b = group(heldOut);
        const enough = a.customers >= MIN_GROUP && b.customers >= MIN_GROUP;
        const verdict =
          first.holdout_percent === 0 && b.customers === 0
            ? 'Nobody is held out, so its effect cannot be measured: set a holdout (e.g. 10%) on the journey.'
            : churnVerdict(enough ? proportionDifference(a.churned, a.customers, b.churned, b.customers) : null, [a.customers, b.customers], 'reached customers', 'held-out customers');
        return {
          journeyId: first.journey_id,
          journeyName: first.journey_name,
          holdoutPercent: first.holdout_percent,
          reached: a,
          heldOut: b,
          churnDifference: enough ? proportionDifference(a.churned, a.customers, b.churned, b.customers) : null,
          ticketDifference: enough ? rateDifference(a.tickets, a.customers, b.tickets, b.customers) : null,
          verdict,
        };
      }),
    };
  }

  /** NPS over the period and by month, with the newest comments. */
  async nps(query: MetricsPeriodQuery): Promise<NpsDto> {
    const { from, until } = this.period(query);
    const [rows, comments] = await Promise.all([this.metrics.npsMonths(from, until), this.metrics.npsComments(from, until, NPS_COMMENTS)]);
    const byMonth = new Map(rows.map((row) => [monthLabel(row.month), row]));
    const months: NpsMonthDto[] = [];
    for (let month = from; month < until; month = addMonths(month, 1)) {
      const row = byMonth.get(monthLabel(month));
      months.push({ month: monthLabel(month), ...npsCounts(row?.promoters ?? 0, row?.passives ?? 0, row?.detractors ?? 0) });
    }
    const total = (pick: (row: NpsMonthRow) => number) => rows.reduce((sum, row) => sum + pick(row), 0);
    return {
      from: monthLabel(from),
      to: monthLabel(addMonths(until, -1)),
      ...npsCounts(total((row) => row.promoters), total((row) => row.passives), total((row) => row.detractors)),
      months,
      comments: comments.map((row) => ({
        responseId: row.id,
        customerId: row.customer_id,
        email: row.email,
        name: row.name,
        score: row.score,
        group: npsGroup(row.score),
        comment: row.comment,
        answeredAt: row.created_at.toISOString(),
      })),
    };
  }

  async ticketsPrevented(): Promise<TicketsPreventedDto> {
    const shipped = await this.metrics.shippedInitiatives();
    const initiatives = await Promise.all(
      shipped.map(async (initiative) => {
        const impact = await this.initiatives.impact(initiative.id);
        const full = impact.weeks.filter((week) => !week.partial);
        const weeks = [
          ...full.filter((week) => week.offset < 0 && week.offset >= -BASELINE_WEEKS).map((week) => ({ ...week, side: 'before' as const })),
          ...full.filter((week) => week.offset >= 0).map((week) => ({ ...week, side: 'after' as const })),
        ];
        return {
          initiativeId: initiative.id,
          title: initiative.title,
          shippedAt: initiative.shipped_at.toISOString(),
          weeksAfter: weeks.filter((week) => week.side === 'after').length,
          ...ticketsPrevented(weeks),
        };
      }),
    );
    return { initiatives, total: sumIntervals(initiatives.flatMap((initiative) => (initiative.prevented ? [initiative.prevented] : []))) };
  }

  async drillDown(query: DrillDownQuery, viewer: AuthUser): Promise<DrillDownDto | string> {
    const limit = query.format === 'csv' ? DRILL_DOWN_CSV_ROWS : DRILL_DOWN_ROWS;
    // A row that names a ticket the viewer may not read (a private team's) is left out.
    const rows = await this.metrics.drillDown(DRILL_DOWN_SOURCES[query.figure], this.drillDownParameters(query), await this.tickets.scopeOf(viewer), limit);
    if (query.format === 'csv') return toCsv(rows, query.figure);
    return {
      total: rows[0]?.total ?? 0,
      rows: rows.map((row) => ({
        customerId: row.customer_id,
        email: row.email,
        name: row.name,
        subscriptionStatus: row.subscription_status,
        startedAt: row.started_at?.toISOString() ?? null,
        cancelledAt: row.cancelled_at?.toISOString() ?? null,
        cancellationKind: row.cancellation_kind,
        ticketId: row.ticket_id,
        ticketNumber: row.ticket_number,
        ticketSubject: row.ticket_subject,
        score: row.score,
        comment: row.comment,
        answeredAt: row.answered_at?.toISOString() ?? null,
      })),
    };
  }

  private drillDownParameters(query: DrillDownQuery): unknown[] {
    const month = () => {
      if (!query.month) throw new InvalidFieldError('month', `is needed for ${query.figure}`);
      const start = parseMonth(query.month);
      return [start, addMonths(start, 1)];
    };
    const id = () => {
      if (!query.id) throw new InvalidFieldError('id', `is needed for ${query.figure}`);
      return query.id;
    };
    switch (query.figure) {
      case 'started':
      case 'cancelled':
      case 'cohort':
        return month();
      case 'active':
        return [query.month ? parseMonth(query.month) : this.clock.now()];
      case 'cycle1_openers':
      case 'cycle1_others': {
        const { from, until } = this.period(query);
        return [from, until, this.clock.now(), query.churned ?? null, query.tag ?? null];
      }
      case 'journey_reached':
      case 'journey_held_out':
        return [this.clock.now(), id()];
      case 'initiative_tickets':
        return [id()];
      case 'nps': {
        const { from, until } = query.month ? { from: month()[0], until: month()[1] } : this.period(query);
        const [low, high] = NPS_SCORE_RANGE[query.group ?? 'all'];
        return [from, until, low, high];
      }
    }
  }
}

/** The CSV behind a figure: who, their subscription, and the ticket or (for NPS) the answer behind each row. */
function toCsv(rows: DrillDownRow[], figure: DrillDownQuery['figure']): string {
  const base = ['email', 'name', 'status', 'started_at', 'cancelled_at', 'cancellation_kind'];
  const basics = (row: DrillDownRow) => [row.email, row.name ?? '', row.subscription_status, row.started_at?.toISOString() ?? '', row.cancelled_at?.toISOString() ?? '', row.cancellation_kind ?? ''];
  if (figure === 'nps') {
    return stringify(
      rows.map((row) => [...basics(row), row.score ?? '', row.comment ?? '', row.answered_at?.toISOString() ?? '']),
      { header: true, columns: [...base, 'nps_score', 'nps_comment', 'answered_at'] },
    );
  }
  return stringify(
    rows.map((row) => [...basics(row), row.ticket_number ?? '', row.ticket_subject ?? '']),
    { header: true, columns: [...base, 'ticket_number', 'ticket_subject'] },
  );
}
