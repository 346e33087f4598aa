import { ConnectedSocket, MessageBody, OnGatewayConnection, OnGatewayDisconnect, OnGatewayInit, SubscribeMessage, WebSocketGateway, WsException } from '@nestjs/websockets';
import { SyncSchema, TicketTypingSchema, TicketViewSchema, type ClientToServerEvents, type SyncResponse } from '../../../contracts/events';
import { AuthService } from '../auth/auth.service';
import { TicketsService } from '../tickets/tickets.service';
import { UserRepository } from '../users/user.repository';
import { handshakeToken, withoutCredentials } from './handshake-token';
import { PresenceService } from './presence.service';
import { RealtimeLog } from './realtime-log.service';
import { roomsForUser } from './realtime-rooms';
import { RealtimeSender } from './realtime-sender';
import type { CareloopServer, CareloopSocket } from './realtime.types';

const onClientEvent = (name: keyof ClientToServerEvents) => SubscribeMessage(name);

/** Socket.IO's entry point: authenticates the handshake, joins the user's rooms, hands each message on. */
@WebSocketGateway()
export class RealtimeGateway implements OnGatewayInit<CareloopServer>, OnGatewayConnection<CareloopSocket>, OnGatewayDisconnect<CareloopSocket> {
  constructor(
    private readonly auth: AuthService,
    private readonly sender: RealtimeSender,
    private readonly presence: PresenceService,
    private readonly log: RealtimeLog,
    private readonly tickets: TicketsService,
    private readonly users: UserRepository,
  ) {}

  afterInit(server: CareloopServer): void {
    this.sender.attach(server);
    server.use((socket, next) => {
      this.authenticate(socket).then(
        () => next(),
        (error: Error) => next(error),
      );
    });
  }

  async handleConnection(socket: CareloopSocket): Promise<void> {
    await socket.join(socket.data.rooms);
  }

  handleDisconnect(socket: CareloopSocket): Promise<void> {
    return this.presence.disconnected(socket);
  }

  @onClientEvent('ticket.view')
  async view(@ConnectedSocket() socket: CareloopSocket, @MessageBody() body: unknown): Promise<void> {
    const request = TicketViewSchema.safeParse(body);
    if (request.success) await this.presence.view(socket, request.data.ticketId);
  }

  @onClientEvent('ticket.leave')
  async leave(@ConnectedSocket() socket: CareloopSocket, @MessageBody() body: unknown): Promise<void> {
    const request = TicketViewSchema.safeParse(body);
    if (request.success) await this.presence.leave(socket, request.data.ticketId);
  }

  @onClientEvent('ticket.typing')
  async typing(@ConnectedSocket() socket: CareloopSocket, @MessageBody() body: unknown): Promise<void> {
    const request = TicketTypingSchema.safeParse(body);
    if (request.success) await this.presence.typing(socket, request.data);
  }

  /** Answers through the client's ack callback. */
  @onClientEvent('sync')
  async sync(@ConnectedSocket() socket: CareloopSocket, @MessageBody() body: unknown): Promise<SyncResponse> {
    const request = SyncSchema.safeParse(body);
    if (!request.success) throw new WsException('sync needs { since: number | null }');
    // What the user may read now (role and teams as stored now), not when the socket connected.
    const user = await this.users.findById(socket.data.user.id);
    if (!user?.isActive) throw new WsException('Log in first');
    const scope = await this.tickets.scopeOf({ ...socket.data.user, role: user.role, teamIds: user.teams.map((team) => team.id) });
    return this.log.replay(request.data, { rooms: socket.data.rooms, scope });
  }

  private async authenticate(socket: CareloopSocket): Promise<void> {
    const token = handshakeToken(socket.handshake);
    const user = token ? await this.auth.authenticate(token) : null;
    if (!user) throw new Error('Log in first');
    socket.data = { user, rooms: roomsForUser(user), viewing: {} };
    // fetchSockets() ships handshakes to other instances through PostgreSQL: keep credentials out of them.
    socket.handshake.auth = {};
    socket.handshake.headers = withoutCredentials(socket.handshake.headers);
  }
}
