import type { Role } from '../../../contracts/domain';

/** Who asks to read tickets: their role and the teams they are in. */
export interface TicketReader {
  role: Role;
  teamIds: readonly string[];
}

/** Where a ticket stands for the access rule: its team, and whether routing has yet to place it. */
export interface TicketPlacement {
  teamId: string | null;
  awaitingRouting: boolean;
}

/** Roles that read every ticket, private teams' and unrouted ones included. */
export const READS_EVERY_TICKET: readonly Role[] = ['admin', 'lead'];

/**
 * What one reader may not read, as of now: the tickets of `hiddenTeamIds`, and, when `hidesUnrouted`, tickets
 * that routing has not placed yet (a routing rule may be about to move one into a private team).
 */
export interface TicketScope {
  hiddenTeamIds: string[];
  hidesUnrouted: boolean;
}

/**
 * THE rule for reading tickets, used by the API, search, view counts, reports, presence, live pushes and
 * catch-up: leads and admins read every ticket; everyone else reads a routed ticket unless it belongs to a
 * private team they are not in. `privateTeamIds` is read at the moment of use, never cached with a session.
 */
export function ticketScope(reader: TicketReader, privateTeamIds: readonly string[]): TicketScope {
  if (READS_EVERY_TICKET.includes(reader.role)) return { hiddenTeamIds: [], hidesUnrouted: false };
  return { hiddenTeamIds: privateTeamIds.filter((teamId) => !reader.teamIds.includes(teamId)), hidesUnrouted: true };
}

/** Whether a ticket placed so is inside the scope. */
export function inScope(scope: TicketScope, ticket: TicketPlacement): boolean {
  if (ticket.awaitingRouting && scope.hidesUnrouted) return false;
  return ticket.teamId === null || !scope.hiddenTeamIds.includes(ticket.teamId);
}

export function mayReadTicket(reader: TicketReader, ticket: TicketPlacement, privateTeamIds: readonly string[]): boolean {
  return inScope(ticketScope(reader, privateTeamIds), ticket);
}

/** Where a query finds a ticket's placement: its team column and an expression for "awaiting routing". */
export interface TicketColumns {
  teamId: string;
  awaitingRouting: string;
}

/**
 * The SQL side of the rule, for the tickets table under an alias or for other columns holding the same
 * placement: `hiddenTeamIds` names a uuid[] parameter and `hidesUnrouted` a boolean one (the scope's fields).
 * A missing ticket (an outer join's nulls) passes.
 */
export function readableTicketSql(ticket: string | TicketColumns, hiddenTeamIds: string, hidesUnrouted: string): string {
  const { teamId, awaitingRouting } = typeof ticket === 'string' ? { teamId: `${ticket}.team_id`, awaitingRouting: `${ticket}.awaiting_routing` } : ticket;
  return `((${teamId} IS NULL OR NOT ${teamId} = ANY(${hiddenTeamIds}::uuid[])) AND (${awaitingRouting} AND ${hidesUnrouted}::boolean) IS NOT TRUE)`;
}
