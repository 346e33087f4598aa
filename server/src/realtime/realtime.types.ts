import type { Server, Socket } from 'socket.io';
import type { ClientToServerEvents, ServerToClientEvents, TypingMode } from '../../../contracts/events';
import type { AuthUser } from '../auth/auth.decorators';

/**
 * What the server keeps on each socket. It travels through the adapter with `fetchSockets()`, so it is
 * plain data: presence is computed from it on whichever instance asks.
 */
export interface SocketData {
  user: AuthUser;
  /** The rooms this socket was put in at connect time; `sync` replays only events sent to them. */
  rooms: string[];
  /** Tickets open in this socket, each with what the user is typing there. */
  viewing: Record<string, TypingMode | null>;
}

// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- instances talk only through the adapter
type InterServerEvents = {};

export type CareloopServer = Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;
export type CareloopSocket = Socket<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>;

/** Who receives a push: every socket in `rooms` except those also in `except`. */
export interface Audience {
  rooms: string[];
  except?: string[];
}
