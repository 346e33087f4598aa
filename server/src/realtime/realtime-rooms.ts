import type { AuthUser } from '../auth/auth.decorators';
import { READS_EVERY_TICKET } from '../tickets/ticket-access';
import type { Audience } from './realtime.types';

/**
 * The room policy: the ticket access rule (tickets/ticket-access.ts) spelled as rooms, so one broadcast
 * reaches exactly the sockets whose user may read the ticket. Every user is in the staff room, their own
 * user room and one room per team; the roles that read every ticket are also in the supervisors room, care
 * owners and admins in the care room. A ticket of a private team goes to that team's room and to
 * supervisors; every other ticket goes to staff. A socket's rooms are its user's at connect time: a change
 * of role or teams closes the user's sockets, which reconnect with the new rooms. Ticket rooms hold only
 * the sockets viewing the ticket and carry presence.
 */
export const STAFF_ROOM = 'staff';
export const SUPERVISORS_ROOM = 'supervisors';
/** Care owners and admins: the care-initiative board. */
export const CARE_ROOM = 'care';
export const userRoom = (userId: string) => `user:${userId}`;
export const teamRoom = (teamId: string) => `team:${teamId}`;
export const ticketRoom = (ticketId: string) => `ticket:${ticketId}`;

export function roomsForUser(user: AuthUser): string[] {
  const rooms = [STAFF_ROOM, userRoom(user.id), ...user.teamIds.map(teamRoom)];
  if (READS_EVERY_TICKET.includes(user.role)) rooms.push(SUPERVISORS_ROOM);
  if (user.role === 'admin' || user.role === 'care_owner') rooms.push(CARE_ROOM);
  return rooms;
}

/** Who may see a ticket owned by `teamId`. */
export function ticketAudience(teamId: string | null, privateTeamIds: readonly string[]): Audience {
  if (teamId && privateTeamIds.includes(teamId)) return { rooms: [teamRoom(teamId), SUPERVISORS_ROOM] };
  return { rooms: [STAFF_ROOM] };
}

/** Those who could see a ticket while it belonged to `fromTeamId` and can no longer see it. */
export function lostAudience(fromTeamId: string | null, toTeamId: string | null, privateTeamIds: readonly string[]): Audience | null {
  const before = ticketAudience(fromTeamId, privateTeamIds);
  const after = ticketAudience(toTeamId, privateTeamIds);
  if (after.rooms.includes(STAFF_ROOM)) return null;
  return { rooms: before.rooms, except: after.rooms };
}
