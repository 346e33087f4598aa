/**
 * Inbox views: the built-in ones every agent has, saved views (a named ticket-list filter, personal or
 * shared with everyone) and their counts for the sidebar.
 */
import { z } from 'zod';
import { TicketQuerySchema } from './api';
import type { Role, TicketStatus } from './domain';
import { patchSchema } from './patch';

/** The ticket-list filters a view may fix; searching and sorting stay the agent's own. */
export const ViewFilterSchema = TicketQuerySchema.pick({ status: true, priority: true, assignee: true, team: true, tag: true, mailbox: true, q: true, slaDueWithin: true, sla: true }).strict();
export type ViewFilter = z.output<typeof ViewFilterSchema>;

const OPEN_WORK: TicketStatus[] = ['new', 'open'];
/** "Due soon": the ticket's nearest open SLA target falls due within this many minutes (and none is overdue yet). */
export const SLA_SOON_MINUTES = 60;

export interface BuiltinView {
  id: string;
  label: string;
  filter: ViewFilter;
}

export const BUILTIN_VIEWS = [
  { id: 'unassigned', label: 'Unassigned', filter: { assignee: 'none', status: OPEN_WORK } },
  { id: 'mine', label: 'Mine', filter: { assignee: 'me', status: ['new', 'open', 'pending', 'on_hold'] } },
  { id: 'open', label: 'All open', filter: { status: OPEN_WORK } },
  { id: 'pending', label: 'Pending', filter: { status: ['pending'] } },
  { id: 'overdue', label: 'Overdue', filter: { status: OPEN_WORK, sla: 'overdue' } },
  { id: 'due_soon', label: 'Due soon', filter: { status: OPEN_WORK, sla: 'due_soon' } },
] as const satisfies readonly BuiltinView[];

/** The view of one team's open work; its id is `team:<teamId>`. */
export const TEAM_VIEW_PREFIX = 'team:';
/** A saved view's id in routes and counts is `saved:<id>`. */
export const SAVED_VIEW_PREFIX = 'saved:';

export function teamViewFilter(teamId: string): ViewFilter {
  return { team: teamId, status: OPEN_WORK };
}

const name = z.string().trim().min(1).max(100);
export const CreateSavedViewSchema = z.object({
  name,
  filter: ViewFilterSchema,
  /** Shared views appear for every agent; only their owner (or an admin) may change them. */
  /** Only VIEW_SHARER_ROLES may share a view. */
  shared: z.boolean().default(false),
});
export type CreateSavedViewRequest = z.input<typeof CreateSavedViewSchema>;
export type CreateSavedViewFields = z.output<typeof CreateSavedViewSchema>;
export const UpdateSavedViewSchema = patchSchema(CreateSavedViewSchema);
export type UpdateSavedViewRequest = z.input<typeof UpdateSavedViewSchema>;
export type UpdateSavedViewFields = z.output<typeof UpdateSavedViewSchema>;

export interface SavedViewDto {
  id: string;
  name: string;
  filter: ViewFilter;
  shared: boolean;
  ownerId: string;
  createdAt: string;
  updatedAt: string;
}

/** Counts stop at this many; the sidebar shows "999+" beyond it. */
export const VIEW_COUNT_CAP = 999;

export interface ViewCountDto {
  count: number;
  /** More than `count` tickets match (the count was capped). */
  capped: boolean;
}
/** Keyed by view id: built-in ids, `team:<id>` for each of the viewer's teams, `saved:<id>`. */
export interface ViewCountsDto {
  counts: Record<string, ViewCountDto>;
}

/** Shared views appear in everyone's sidebar: leads and admins decide those (as in Zendesk). */
export const VIEW_SHARER_ROLES: readonly Role[] = ['admin', 'lead'];
