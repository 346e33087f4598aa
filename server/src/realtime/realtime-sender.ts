import { Injectable } from '@nestjs/common';
import type { LoggedEventName, LoggedEvents, ServerToClientEvents } from '../../../contracts/events';
import { RealtimeLog } from './realtime-log.service';
import { userRoom } from './realtime-rooms';
import type { Audience, CareloopServer } from './realtime.types';

/**
 * One logged push: `source` is the id of the recorded domain event it comes from, so pushing it again (a
 * redelivery) reuses the seq it got the first time.
 */
export interface PushEntry<K extends LoggedEventName> {
  payload: LoggedEvents[K];
  audience: Audience;
  source?: string;
}

/** Everything the server pushes goes out through `send`; logged events are recorded first to get their seq. */
@Injectable()
export class RealtimeSender {
  private server?: CareloopServer;

  constructor(private readonly log: RealtimeLog) {}

  /** Called by the gateway once Socket.IO is up. */
  attach(server: CareloopServer): void {
    this.server = server;
  }

  /** Several events of one name: recorded with one statement, then pushed in order. */
  async publishAll<K extends LoggedEventName>(name: K, entries: PushEntry<K>[]): Promise<void> {
    const seqs = await this.log.record(name, entries);
    entries.forEach(({ payload, audience }, index) => this.send(audience, name, ...([{ ...payload, seq: seqs[index] }] as Parameters<ServerToClientEvents[K]>)));
  }

  send<K extends keyof ServerToClientEvents>(audience: Audience, name: K, ...args: Parameters<ServerToClientEvents[K]>): void {
    if (!this.server) return;
    this.server
      .to(audience.rooms)
      .except(audience.except ?? [])
      .emit(name, ...args);
  }

  /** Closes a user's sockets on every instance (through the adapter). */
  disconnectUser(userId: string): void {
    this.server?.in(userRoom(userId)).disconnectSockets(true);
  }

  /** The sockets in a room on every instance (through the adapter), with their data. */
  socketsIn(room: string) {
    return this.server ? this.server.in(room).fetchSockets() : Promise.resolve([]);
  }
}
