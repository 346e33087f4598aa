import { useCallback, useEffect, useRef, useState } from 'react';
import type { TicketPresence, TypingMode } from '../../../../../contracts/events';
import { socket } from '../../../socket';

export type TicketViewer = TicketPresence['viewers'][number];

/**
 * Presence is soft state: each open ticket view asks again this often, and the server answers the asking
 * socket with who is there now, so an update lost on the way is put right within this time.
 */
const PRESENCE_HEARTBEAT_MS = 10_000;
/** How many mounted views show each ticket: the socket leaves a ticket only when the last one goes. */
const viewsOpen = new Map<string, number>();

/** Announces that this user has the ticket open, and returns everyone who has it open right now. */
export function useTicketPresence(ticketId: string): TicketViewer[] {
  const [presence, setPresence] = useState<TicketPresence>({ ticketId, viewers: [] });

  useEffect(() => {
    const room = { ticketId };
    // Join on every (re)connect: a new socket is in no ticket room.
    const join = () => socket.emit('ticket.view', room);
    const onPresence = (update: TicketPresence) => {
      if (update.ticketId === ticketId) setPresence(update);
    };
    socket.on('ticket.presence', onPresence);
    socket.on('connect', join);
    viewsOpen.set(ticketId, (viewsOpen.get(ticketId) ?? 0) + 1);
    if (socket.connected) join();
    const heartbeat = window.setInterval(() => {
      if (socket.connected) join();
    }, PRESENCE_HEARTBEAT_MS);
    return () => {
      window.clearInterval(heartbeat);
      socket.off('ticket.presence', onPresence);
      socket.off('connect', join);
      const remaining = (viewsOpen.get(ticketId) ?? 1) - 1;
      if (remaining > 0) viewsOpen.set(ticketId, remaining);
      else {
        viewsOpen.delete(ticketId);
        if (socket.connected) socket.emit('ticket.leave', room);
      }
    };
  }, [ticketId]);

  return presence.ticketId === ticketId ? presence.viewers : [];
}

/** Without a keystroke for this long, the user counts as no longer typing. */
const TYPING_IDLE_MS = 5000;

/**
 * Tells the others on the ticket that this user is typing a reply or a note: `typing(mode)` on each
 * keystroke (sent only when the state changes), `stopTyping()` when the draft is sent or discarded.
 */
export function useTypingSignal(ticketId: string): { typing: (mode: TypingMode) => void; stopTyping: () => void } {
  const current = useRef<TypingMode | null>(null);
  const idleTimer = useRef<number | undefined>(undefined);

  const stopTyping = useCallback(() => {
    window.clearTimeout(idleTimer.current);
    if (current.current) socket.emit('ticket.typing', { ticketId, mode: current.current, active: false });
    current.current = null;
  }, [ticketId]);

  const typing = useCallback(
    (mode: TypingMode) => {
      if (current.current !== mode) {
        // One message per switch: typing in the new mode replaces the old one on the server. (Two quick
        // messages can reach the others in either order: the cluster adapter publishes before delivering.)
        current.current = mode;
        socket.emit('ticket.typing', { ticketId, mode, active: true });
      }
      window.clearTimeout(idleTimer.current);
      idleTimer.current = window.setTimeout(stopTyping, TYPING_IDLE_MS);
    },
    [ticketId, stopTyping],
  );

  useEffect(() => stopTyping, [stopTyping]);
  return { typing, stopTyping };
}
