/**
 * The one typed Socket.IO event map, used as the generics of the server and of socket.io-client.
 *
 * Connecting: the handshake carries the same session as the API (the `careloop_session` cookie, or
 * `auth: { token }` for scripts); without a live session the connection is refused with `connect_error`.
 * The server puts each socket in the rooms its user may see; clients never choose rooms themselves.
 *
 * Catching up (the `sync` contract):
 * - Every logged event carries `seq`, a number increasing across all instances. Keep the highest `seq` seen.
 * - On the first connect, call `sync({ since: null })` before loading data over the API and keep `latest`.
 * - After every reconnect, call `sync({ since })` with the highest `seq` seen; apply `events` in order, and
 *   call again with the last replayed `seq` while `hasMore` is true.
 * - `seq` values become visible slightly out of order (concurrent writers commit in any order), so live
 *   pushes may arrive out of order and a replay repeats the events recorded shortly before `since`.
 *   De-duplicate by `seq`: remember the seqs seen in the last minute and skip any you already applied.
 *   For the same reason, keep a pushed ticket summary only if its `updatedAt` is not older than the cached one.
 * - `reset: true` means events after `since` are no longer kept (they are kept for a day): reload from the
 *   API and continue from `latest`.
 */
import { z } from 'zod';
import type { MessageDto, TicketEventDto, TicketSummaryDto } from './api';
import type { InitiativeCommentDto, InitiativeDto } from './care';
import type { NotificationDto } from './notifications';

/**
 * Events recorded in the realtime log: each is pushed with a `seq` and replayed by `sync`.
 * New kinds (SLA state, view counts) are added here and get seq and replay for free.
 */
export interface LoggedEvents {
  'ticket.created': { ticket: TicketSummaryDto };
  /** `changed` names the timeline event types recorded (`status.changed`, `tags.changed` …). */
  'ticket.updated': { ticket: TicketSummaryDto; changed: string[]; events: TicketEventDto[] };
  /** The ticket moved into a private team this recipient is not in: drop it from lists and views. */
  'ticket.hidden': { ticketId: string };
  /** The team turned private and this recipient is not in it: drop its tickets from lists and views. */
  'team.hidden': { teamId: string };
  /** The ticket was deleted; its id alone tells nothing to those who never saw it. */
  'ticket.deleted': { ticketId: string };
  'message.created': { ticketId: string; message: MessageDto };
  /** A message changed after it was added: an outbound reply's delivery state (sent, failed …). */
  'message.updated': { ticketId: string; message: MessageDto };
  /** A care initiative was created, edited or moved on the board (sent to care owners and admins). */
  'initiative.updated': { initiative: InitiativeDto };
  /** Tickets newly matched an initiative: reload its ticket list. */
  'initiative.tickets_linked': { initiativeId: string; ticketIds: string[] };
  'initiative.comment_added': { initiativeId: string; comment: InitiativeCommentDto };
  /** A new notification for the one person it is for (sent to their user room only). */
  'notification.created': { notification: NotificationDto };
  /**
   * Workspace settings changed: open pages refetch them and what they drive (the care board's signal rules and
   * signals follow the tag settings). `tags` goes to everyone, `care` to care owners and admins.
   */
  'settings.updated': { scope: SettingsScope };
}
/** The settings that announce their changes: tag settings (signal thresholds …) and care settings (email cap, quiet hours …). */
export const SETTINGS_SCOPES = ['tags', 'care'] as const;
export type SettingsScope = (typeof SETTINGS_SCOPES)[number];
export type LoggedEventName = keyof LoggedEvents;
export type Sequenced<P> = P & { seq: number };

/** One replayed event, as `sync` returns it: the same name and payload as its live push. */
export type ReplayedEvent = { [K in LoggedEventName]: { name: K; payload: Sequenced<LoggedEvents[K]> } }[LoggedEventName];

export const TYPING_MODES = ['reply', 'note'] as const;
export type TypingMode = (typeof TYPING_MODES)[number];

/** Who has a ticket open right now, and whether they are writing a reply or an internal note. */
export interface TicketPresence {
  ticketId: string;
  viewers: { userId: string; name: string; typing: TypingMode | null }[];
}

export type ServerToClientEvents = { [K in LoggedEventName]: (payload: Sequenced<LoggedEvents[K]>) => void } & {
  /** Sent to everyone viewing the ticket whenever its viewers or their typing change. Not logged. */
  'ticket.presence': (payload: TicketPresence) => void;
  /** Report figures changed (a reply, a solve, a survey answer): open report pages refetch. Not logged; carries no figures. */
  'reports.updated': (payload: { at: string }) => void;
};

export const TicketViewSchema = z.object({ ticketId: z.uuid() });
export type TicketViewRequest = z.infer<typeof TicketViewSchema>;
export const TicketTypingSchema = z.object({ ticketId: z.uuid(), mode: z.enum(TYPING_MODES), active: z.boolean() });
export type TicketTypingRequest = z.infer<typeof TicketTypingSchema>;
export const SyncSchema = z.object({ since: z.number().int().nonnegative().nullable() });
export type SyncRequest = z.infer<typeof SyncSchema>;

export interface SyncResponse {
  events: ReplayedEvent[];
  /** The newest seq handed out so far: the baseline after `since: null` or `reset`. */
  latest: number;
  /** More events follow: call `sync` again with the last replayed seq. */
  hasMore: boolean;
  /** Events after `since` have been pruned: reload from the API and continue from `latest`. */
  reset: boolean;
}

export interface ClientToServerEvents {
  /** Opens a ticket: joins its presence room (if the user may see it) and announces the viewer. */
  'ticket.view': (payload: TicketViewRequest) => void;
  'ticket.leave': (payload: TicketViewRequest) => void;
  /** Send `active: true` when typing starts and `active: false` when it stops, is sent or discarded. */
  'ticket.typing': (payload: TicketTypingRequest) => void;
  sync: (request: SyncRequest, ack: (response: SyncResponse) => void) => void;
}
