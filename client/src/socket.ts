import { io, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../contracts/events';

export type CareloopSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * The one Socket.IO connection, to the page's own origin (the session cookie authenticates it).
 * It connects only while someone is signed in (see useLiveUpdates), and backs off up to a minute between
 * attempts so a server without the gateway costs a request now and then, not a loop.
 */
export const socket: CareloopSocket = io({
  autoConnect: false,
  withCredentials: true,
  reconnectionDelay: 2_000,
  reconnectionDelayMax: 60_000,
});
