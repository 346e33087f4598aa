import fc from 'fast-check';
import { ROLES } from '../../../contracts/domain';
import type { AuthUser } from '../auth/auth.decorators';
import { mayReadTicket } from '../tickets/ticket-access';
import { lostAudience, roomsForUser, ticketAudience } from './realtime-rooms';
import type { Audience } from './realtime.types';

const user = (role: AuthUser['role'], teamIds: string[] = []): AuthUser => ({ id: 'u1', email: 'u1@example.com', name: 'U', role, teamIds });

describe('room policy', () => {
  it('puts everyone in staff, their user room and their teams; leads and admins also in supervisors', () => {
    expect(roomsForUser(user('agent', ['t1']))).toEqual(['staff', 'user:u1', 'team:t1']);
    expect(roomsForUser(user('care_owner'))).toEqual(['staff', 'user:u1', 'care']);
    expect(roomsForUser(user('lead'))).toContain('supervisors');
    expect(roomsForUser(user('admin'))).toContain('supervisors');
  });

  it("sends a private team's ticket to that team and supervisors, any other ticket to staff", () => {
    expect(ticketAudience('secret', ['secret'])).toEqual({ rooms: ['team:secret', 'supervisors'] });
    expect(ticketAudience('open', ['secret'])).toEqual({ rooms: ['staff'] });
    expect(ticketAudience(null, ['secret'])).toEqual({ rooms: ['staff'] });
  });

  it('finds who loses sight of a ticket when it changes team', () => {
    expect(lostAudience(null, 'secret', ['secret'])).toEqual({ rooms: ['staff'], except: ['team:secret', 'supervisors'] });
    expect(lostAudience('secret', 'other', ['secret', 'other'])).toEqual({ rooms: ['team:secret', 'supervisors'], except: ['team:other', 'supervisors'] });
    expect(lostAudience('secret', null, ['secret'])).toBeNull();
    expect(lostAudience(null, 'open', ['secret'])).toBeNull();
  });
});

// Pushes are held until routing has placed a ticket (realtime.listener.ts), so rooms only ever carry routed tickets.
describe('the rooms spell the ticket access rule for routed tickets', () => {
  const routed = (teamId: string | null) => ({ teamId, awaitingRouting: false });
  const teams = ['t1', 't2', 't3'];
  const reader = fc.record({ role: fc.constantFrom(...ROLES), teamIds: fc.subarray(teams) });
  const teamOf = fc.option(fc.constantFrom(...teams), { nil: null });
  const receives = (rooms: string[], audience: Audience | null) => audience !== null && audience.rooms.some((room) => rooms.includes(room)) && !(audience.except ?? []).some((room) => rooms.includes(room));

  it('a push about a ticket reaches exactly the users who may read it', () => {
    fc.assert(
      fc.property(reader, teamOf, fc.subarray(teams), (someone, teamId, privateTeamIds) => {
        const rooms = roomsForUser({ ...someone, id: 'u1', email: 'u1@example.com', name: 'U' });
        expect(receives(rooms, ticketAudience(teamId, privateTeamIds))).toBe(mayReadTicket(someone, routed(teamId), privateTeamIds));
      }),
    );
  });

  it('a removal reaches exactly those who could read the ticket before a move and cannot after it', () => {
    fc.assert(
      fc.property(reader, teamOf, teamOf, fc.subarray(teams), (someone, from, to, privateTeamIds) => {
        const rooms = roomsForUser({ ...someone, id: 'u1', email: 'u1@example.com', name: 'U' });
        const lost = mayReadTicket(someone, routed(from), privateTeamIds) && !mayReadTicket(someone, routed(to), privateTeamIds);
        // Everyone who cannot read it after the move is told, whether or not they saw it before (harmless: an id alone).
        if (lost) expect(receives(rooms, lostAudience(from, to, privateTeamIds))).toBe(true);
        if (mayReadTicket(someone, routed(to), privateTeamIds)) expect(receives(rooms, lostAudience(from, to, privateTeamIds))).toBe(false);
      }),
    );
  });
});
