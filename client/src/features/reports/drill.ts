import { reportViewId, reportViewParams } from '../../../../contracts/reports';
import type { ReportTab, Route } from '../../routes';
import { dayLabel, formatDuration, WEEKDAYS } from './reportFormat';

/** What each drill-down lists, as its banner in the inbox names it. */
export const DRILL_TITLES: Record<string, string> = {
  created: 'Tickets created',
  solved: 'Tickets solved',
  reopened: 'Tickets reopened',
  unsolved: 'Unsolved tickets',
  first_reply: 'First replies, slowest first',
  next_reply: 'Next replies, slowest first',
  no_reply: 'No reply yet, longest waiting first',
  resolution: 'Solved tickets, slowest first',
  one_touch: 'Solved with one touch',
  csat: 'Rated tickets',
  csat_good: 'Good ratings',
  csat_bad: 'Bad ratings',
  sla_decided: 'SLA targets decided',
  sla_met: 'SLA targets met',
  sla_breached: 'SLA targets breached',
};

const SLA_KINDS: Record<string, string> = { first_reply: 'first reply', next_reply: 'next reply', resolution: 'resolution' };

/** The fields a drill-down adds to the report's period and filters. */
const DRILL_KEYS = ['tab', 'metric', 'day', 'weekday', 'hour', 'minSeconds', 'maxSeconds', 'slaKind'];

/** The part of the period a bar or cell stands for ("Nov 3", "Mon 9:00–9:59", "1–4 h"). */
export function drillScope(params: Record<string, string>): string[] {
  return [
    params.day ? (params.metric === 'unsolved' ? `at the end of ${dayLabel(params.day)}` : dayLabel(params.day)) : null,
    params.weekday && params.hour ? `${WEEKDAYS[Number(params.weekday) - 1]} ${params.hour}:00–${params.hour}:59` : null,
    params.minSeconds && Number(params.minSeconds) > 0 ? `at least ${formatDuration(Number(params.minSeconds))}` : null,
    params.maxSeconds ? `under ${formatDuration(Number(params.maxSeconds))}` : null,
    params.slaKind ? `${SLA_KINDS[params.slaKind] ?? params.slaKind} targets` : null,
  ].filter((part): part is string => part !== null);
}

/** The inbox view listing the tickets behind a number of the report `tab`. */
export function drillRoute(tab: ReportTab, params: Record<string, string>): Route {
  return { page: 'inbox', view: reportViewId({ ...params, tab }), ticketId: null };
}

/** The report a drill-down came from, with its period and filters: the banner's way back. */
export function reportRouteOf(viewId: string): Route | null {
  const params = reportViewParams(viewId);
  if (!params) return null;
  const filters = Object.fromEntries(Object.entries(params).filter(([key]) => !DRILL_KEYS.includes(key)));
  return { page: 'reports', tab: (params.tab as ReportTab | undefined) ?? 'overview', params: filters };
}

