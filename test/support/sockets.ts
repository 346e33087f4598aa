import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import type { TicketSummaryDto } from '../../contracts/api';
import type { ClientToServerEvents, LoggedEventName, ServerToClientEvents } from '../../contracts/events';

/** socket.io clients for the realtime tests, typed by the shared event map. */
export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type Payload<K extends keyof ServerToClientEvents> = Parameters<ServerToClientEvents[K]>[0];

/** Connects a socket.io client without reconnection, kept in `opened` so a test can close it afterwards. */
export function connectSocket(url: string, options: Partial<ManagerOptions & SocketOptions>, opened: ClientSocket[]): Promise<ClientSocket> {
  const socket: ClientSocket = io(url, { transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  opened.push(socket);
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/** Resolves with the next `name` event matching `matches`; fails after `timeoutMs`. */
export function nextEvent<K extends keyof ServerToClientEvents>(socket: ClientSocket, name: K, matches: (payload: Payload<K>) => boolean = () => true, timeoutMs = 2000): Promise<Payload<K>> {
  return new Promise((resolve, reject) => {
    const listener = (payload: Payload<K>) => {
      if (!matches(payload)) return;
      clearTimeout(timer);
      socket.off(name, listener as never);
      resolve(payload);
    };
    const timer = setTimeout(() => {
      socket.off(name, listener as never);
      reject(new Error(`no ${name} within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.on(name, listener as never);
  });
}

/** Everything logged that a socket receives, in arrival order. */
export function recordLogged(socket: ClientSocket): { name: LoggedEventName; seq: number; ticketId: string }[] {
  const received: { name: LoggedEventName; seq: number; ticketId: string }[] = [];
  socket.onAny((name: string, payload: { seq?: number; ticket?: TicketSummaryDto; ticketId?: string }) => {
    if (payload.seq !== undefined) received.push({ name: name as LoggedEventName, seq: payload.seq, ticketId: payload.ticket?.id ?? payload.ticketId ?? '' });
  });
  return received;
}

