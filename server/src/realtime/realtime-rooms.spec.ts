import type { AuthUser } from '../auth/auth.decorators';
import { lostAudience, roomsForUser, ticketAudience } from './realtime-rooms';

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
