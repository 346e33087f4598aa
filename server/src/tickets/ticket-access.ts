import type { Role } from '../../../contracts/domain';

/** Who is looking: their role and teams decide which tickets they may see. */
export interface TicketViewer {
  role: Role;
  teamIds: readonly string[];
}

/**
 * The access rule for tickets: a private team's tickets are visible to its members and to leads and
 * admins only; every other ticket to everyone. Returns the private teams whose tickets the viewer may not see.
 */
export function hiddenTeamIdsFor(viewer: TicketViewer, privateTeamIds: readonly string[]): string[] {
  if (viewer.role === 'admin' || viewer.role === 'lead') return [];
  return privateTeamIds.filter((id) => !viewer.teamIds.includes(id));
}

export function maySeeTicketOf(viewer: TicketViewer, teamId: string | null, privateTeamIds: readonly string[]): boolean {
  return !teamId || !hiddenTeamIdsFor(viewer, privateTeamIds).includes(teamId);
}
