import type { Role } from '../../../contracts/domain';

/** Who asks to read tickets: their role and the teams they are in. */
export interface TicketReader {
  role: Role;
  teamIds: readonly string[];
}

/** Roles that read every ticket, private teams' included. */
export const READS_EVERY_TICKET: readonly Role[] = ['admin', 'lead'];

/**
 * THE rule for reading a ticket, used by the API, search, view counts, presence, live pushes and catch-up:
 * a ticket of a private team is read by that team's members and by leads and admins; any other ticket by
 * every signed-in user. `privateTeamIds` is read at the moment of use, never cached with a session.
 */
export function mayReadTicket(reader: TicketReader, ticketTeamId: string | null, privateTeamIds: readonly string[]): boolean {
  if (ticketTeamId === null || !privateTeamIds.includes(ticketTeamId)) return true;
  return READS_EVERY_TICKET.includes(reader.role) || reader.teamIds.includes(ticketTeamId);
}

/** The SQL side of the rule: `teamColumn` is readable unless it holds one of the hidden teams in `hiddenTeamIds` (a uuid[] parameter). */
export function readableTeamSql(teamColumn: string, hiddenTeamIds: string): string {
  return `(${teamColumn} IS NULL OR NOT ${teamColumn} = ANY(${hiddenTeamIds}::uuid[]))`;
}

/** The same rule as a filter for queries: the teams whose tickets this reader may not read. */
export function unreadableTeamIds(reader: TicketReader, privateTeamIds: readonly string[]): string[] {
  return privateTeamIds.filter((teamId) => !mayReadTicket(reader, teamId, privateTeamIds));
}
