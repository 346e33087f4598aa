/**
 * Every service metric, defined once. The reports listener turns a ticket's messages and timeline into the
 * rollup rows with these functions; the report queries only aggregate the rows (medians, p90, shares).
 * README "Service reports" states the same definitions in words.
 */
import { businessMinutesBetween, type BusinessCalendar } from '../sla/clock';

/** A message as the metrics read it. */
export interface MetricMessage {
  id: string;
  direction: 'inbound' | 'outbound' | 'note';
  authorId: string | null;
  automatic: boolean;
  createdAt: Date;
}

/** A status change from the timeline. */
export interface MetricStatusChange {
  eventId: string;
  from: string;
  to: string;
  at: Date;
  /** Closed by a merge into another ticket. */
  merge: boolean;
}

export interface ReplyFigure {
  messageId: string;
  agentId: string | null;
  repliedAt: Date;
  /** Null when nobody was waiting (a second reply in a row). */
  waitingSince: Date | null;
  waitSeconds: number | null;
  waitBusinessSeconds: number | null;
  first: boolean;
}

export interface TicketFigures {
  firstInboundAt: Date | null;
  firstReplyAt: Date | null;
  firstReplyBy: string | null;
  firstReplySeconds: number | null;
  firstReplyBusinessSeconds: number | null;
  firstSolvedAt: Date | null;
  lastSolvedAt: Date | null;
  firstResolutionSeconds: number | null;
  fullResolutionSeconds: number | null;
  publicReplies: number;
  reopens: number;
  oneTouch: boolean | null;
  merged: boolean;
  replies: ReplyFigure[];
  statusChanges: { eventId: string; kind: 'solved' | 'reopened'; at: Date }[];
}

const SOLVED = new Set(['solved', 'closed']);
const seconds = (from: Date, to: Date) => Math.max(0, Math.round((to.getTime() - from.getTime()) / 1000));

/** A public reply by a person: outbound, written by an agent, not an automatic email (notes are not outbound). */
export function isPublicReply(message: MetricMessage): boolean {
  return message.direction === 'outbound' && message.authorId !== null && !message.automatic;
}

/**
 * The figures of one ticket.
 * - First reply time: from the first inbound message to the first public reply by a person.
 * - Next reply time: from the first customer message after a reply to the public reply that answers it.
 * - Business-hours waits use `calendar` (the ticket's SLA calendar now) only for replies not recorded yet:
 *   `recordedBusinessSeconds` keeps what was stored when each reply happened.
 * - First / full resolution: ticket creation to the first solve / to the latest solve (while still solved).
 * - Replies to resolve: public replies of a solved ticket. One-touch: solved after exactly one public reply
 *   and never reopened.
 */
export function ticketFigures(
  createdAt: Date,
  messages: MetricMessage[],
  statusChanges: MetricStatusChange[],
  calendar: BusinessCalendar,
  recordedBusinessSeconds: Map<string, { waitingSince: Date; seconds: number }>,
): TicketFigures {
  const ordered = [...messages].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  const replies: ReplyFigure[] = [];
  let waitingSince: Date | null = null;
  let firstInboundAt: Date | null = null;
  let publicReplies = 0;
  for (const message of ordered) {
    if (message.direction === 'inbound') {
      firstInboundAt ??= message.createdAt;
      waitingSince ??= message.createdAt;
      continue;
    }
    if (!isPublicReply(message)) continue;
    publicReplies++;
    if (!waitingSince) {
      replies.push({ messageId: message.id, agentId: message.authorId, repliedAt: message.createdAt, waitingSince: null, waitSeconds: null, waitBusinessSeconds: null, first: false });
      continue;
    }
    const recorded = recordedBusinessSeconds.get(message.id);
    const business =
      recorded && recorded.waitingSince.getTime() === waitingSince.getTime() ? recorded.seconds : Math.round(businessMinutesBetween(calendar, waitingSince, message.createdAt) * 60);
    replies.push({
      messageId: message.id,
      agentId: message.authorId,
      repliedAt: message.createdAt,
      waitingSince,
      waitSeconds: seconds(waitingSince, message.createdAt),
      waitBusinessSeconds: business,
      // The first wait starts at the first inbound message and lasts until a reply: that reply is the first reply.
      first: waitingSince.getTime() === firstInboundAt?.getTime(),
    });
    waitingSince = null;
  }

  const changes = [...statusChanges].sort((a, b) => a.at.getTime() - b.at.getTime());
  const solves = changes.filter((change) => SOLVED.has(change.to) && !SOLVED.has(change.from));
  const reopens = changes.filter((change) => SOLVED.has(change.from) && !SOLVED.has(change.to));
  const solvedNow = changes.length > 0 && SOLVED.has(changes[changes.length - 1].to);
  const merged = solves.some((change) => change.merge);
  const firstSolvedAt = solves[0]?.at ?? null;
  const lastSolvedAt = solvedNow ? (solves[solves.length - 1]?.at ?? null) : null;
  const first = replies.find((reply) => reply.first) ?? null;
  return {
    firstInboundAt,
    firstReplyAt: first?.repliedAt ?? null,
    firstReplyBy: first?.agentId ?? null,
    firstReplySeconds: first?.waitSeconds ?? null,
    firstReplyBusinessSeconds: first?.waitBusinessSeconds ?? null,
    firstSolvedAt,
    lastSolvedAt,
    firstResolutionSeconds: firstSolvedAt ? seconds(createdAt, firstSolvedAt) : null,
    fullResolutionSeconds: lastSolvedAt ? seconds(createdAt, lastSolvedAt) : null,
    publicReplies,
    reopens: reopens.length,
    oneTouch: lastSolvedAt && !merged ? publicReplies === 1 && reopens.length === 0 : null,
    merged,
    replies,
    statusChanges: [...solves.map((change) => ({ eventId: change.eventId, kind: 'solved' as const, at: change.at })), ...reopens.map((change) => ({ eventId: change.eventId, kind: 'reopened' as const, at: change.at }))],
  };
}
