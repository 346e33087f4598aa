import { Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { TicketPresence, TicketTypingRequest, TypingMode } from '../../../contracts/events';
import { NotFoundError } from '../common/errors';
import { TicketsService } from '../tickets/tickets.service';
import { STAFF_ROOM, ticketRoom } from './realtime-rooms';
import { RealtimeSender } from './realtime-sender';
import type { CareloopSocket } from './realtime.types';

/** A user with the ticket open in several tabs shows once; a reply being typed outranks a note. */
const typingRank = (typing: TypingMode | null) => (typing === 'reply' ? 2 : typing === 'note' ? 1 : 0);

/**
 * Collision detection: who has a ticket open and what they are typing. The state lives on the sockets
 * themselves (socket.data), so it is read across instances and vanishes with a socket's disconnect.
 */
@Injectable()
export class PresenceService implements OnModuleDestroy {
  private readonly logger = new Logger('Presence');
  /** Each socket's messages are applied in the order sent: a `typing` right after `view` must see the view. */
  private readonly pending = new WeakMap<CareloopSocket, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly tickets: TicketsService,
    private readonly sender: RealtimeSender,
  ) {}

  /**
   * While this instance stops, its sockets' disconnects are not announced: the adapter is closing, so other
   * instances would not answer; the clients reconnect elsewhere and view their tickets again.
   */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  view(socket: CareloopSocket, ticketId: string): Promise<void> {
    return this.inOrder(socket, () => this.join(socket, ticketId));
  }

  leave(socket: CareloopSocket, ticketId: string): Promise<void> {
    return this.inOrder(socket, () => this.part(socket, ticketId));
  }

  typing(socket: CareloopSocket, request: TicketTypingRequest): Promise<void> {
    return this.inOrder(socket, () => this.setTyping(socket, request));
  }

  /** After a disconnect the socket has already left its rooms; tell each ticket it viewed. */
  disconnected(socket: CareloopSocket): Promise<void> {
    if (this.stopping) return Promise.resolve();
    return this.inOrder(socket, async () => {
      await Promise.all(Object.keys(socket.data.viewing).map((ticketId) => this.announce(ticketId)));
    });
  }

  private inOrder(socket: CareloopSocket, work: () => Promise<void>): Promise<void> {
    const done = (this.pending.get(socket) ?? Promise.resolve()).then(work).catch((error: Error) => {
      this.logger.warn(`presence update failed: ${error.message}`);
    });
    this.pending.set(socket, done);
    return done;
  }

  /**
   * Viewers who may no longer read a ticket they have open (it moved into a private team, or its team turned
   * private) leave its room, so they hear nothing more of it; those still there are told who is left. The
   * same rule as everywhere (ticket-access.ts), read now. Without `ticketIds`, every open ticket is checked.
   */
  async dropUnreadable(ticketIds?: readonly string[]): Promise<void> {
    const sockets = ticketIds ? (await Promise.all(ticketIds.map((ticketId) => this.sender.socketsIn(ticketRoom(ticketId))))).flat() : await this.sender.socketsIn(STAFF_ROOM);
    const open = sockets.flatMap((socket) =>
      Object.keys(socket.data.viewing)
        .filter((ticketId) => socket.rooms.has(ticketRoom(ticketId)) && (!ticketIds || ticketIds.includes(ticketId)))
        .map((ticketId) => ({ socket, ticketId })),
    );
    if (open.length === 0) return;
    const mayRead = await this.tickets.readAccessNow([...new Set(open.map(({ ticketId }) => ticketId))]);
    const dropped = open.filter(({ socket, ticketId }) => !mayRead(socket.data.user, ticketId));
    for (const { socket, ticketId } of dropped) socket.leave(ticketRoom(ticketId));
    await Promise.all([...new Set(dropped.map(({ ticketId }) => ticketId))].map((ticketId) => this.announce(ticketId)));
  }

  /** Whether the socket has the ticket open: its room decides (a viewer dropped by dropUnreadable keeps a stale entry). */
  private isViewing(socket: CareloopSocket, ticketId: string): boolean {
    return ticketId in socket.data.viewing && socket.rooms.has(ticketRoom(ticketId));
  }

  /**
   * A first view tells the room; a repeated one (the client's heartbeat) answers only the asking socket, so
   * a viewer that missed an update is current again without a broadcast to everyone on the ticket. A viewer
   * dropped from the room is checked again like a first view.
   */
  private async join(socket: CareloopSocket, ticketId: string): Promise<void> {
    if (this.isViewing(socket, ticketId)) {
      socket.emit('ticket.presence', await this.presenceOf(ticketId));
      return;
    }
    delete socket.data.viewing[ticketId];
    const visible = await this.tickets.requireVisible(ticketId, socket.data.user).then(
      () => true,
      (error: unknown) => {
        if (error instanceof NotFoundError) return false;
        throw error;
      },
    );
    if (!visible) return;
    socket.data.viewing[ticketId] = null;
    await socket.join(ticketRoom(ticketId));
    await this.announce(ticketId);
  }

  private async part(socket: CareloopSocket, ticketId: string): Promise<void> {
    if (!(ticketId in socket.data.viewing)) return;
    delete socket.data.viewing[ticketId];
    await socket.leave(ticketRoom(ticketId));
    await this.announce(ticketId);
  }

  private async setTyping(socket: CareloopSocket, { ticketId, mode, active }: TicketTypingRequest): Promise<void> {
    if (!this.isViewing(socket, ticketId)) return;
    const typing = active ? mode : null;
    // Stopping one mode must not clear the other (a note's `active: false` after switching to reply).
    if (!active && socket.data.viewing[ticketId] !== mode) return;
    socket.data.viewing[ticketId] = typing;
    await this.announce(ticketId);
  }

  private async announce(ticketId: string): Promise<void> {
    this.sender.send({ rooms: [ticketRoom(ticketId)] }, 'ticket.presence', await this.presenceOf(ticketId));
  }

  private async presenceOf(ticketId: string): Promise<TicketPresence> {
    const viewers = new Map<string, TicketPresence['viewers'][number]>();
    for (const { data } of await this.sender.socketsIn(ticketRoom(ticketId))) {
      const typing = data.viewing[ticketId] ?? null;
      const seen = viewers.get(data.user.id);
      if (!seen || typingRank(typing) > typingRank(seen.typing)) viewers.set(data.user.id, { userId: data.user.id, name: data.user.name, typing });
    }
    const sorted = [...viewers.values()].sort((a, b) => a.name.localeCompare(b.name) || a.userId.localeCompare(b.userId));
    return { ticketId, viewers: sorted };
  }
}
