import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { LoggedEventName, ReplayedEvent, SyncResponse } from '../../../../../contracts/events';
import { socket } from '../../../socket';
import { careKeys } from '../../care/api/care.api';
import { journeyKeys } from '../../journeys/api/journeys.api';
import { tagKeys } from '../../tags/api/tags.api';
import { notificationKeys } from '../../notifications/api/notifications.api';
import { applyNotification } from '../../notifications/hooks/useNotifications';
import { appendMessage, appendTicketEvent, applyTicketSummary, removeTeamTickets, removeTicket, replaceMessage } from '../../tickets/api/ticketCache';
import { ticketKeys } from '../../tickets/api/ticketKeys';
import { viewKeys } from '../../views/api/views.api';
import { EventLedger } from '../eventLedger';

export type LiveStatus = 'connecting' | 'live' | 'offline';

/** Every logged push, initiatives included: each goes through the ledger and is replayed by the catch-up. */
const LOGGED_EVENTS = [
  'ticket.created',
  'ticket.updated',
  'ticket.hidden',
  'team.hidden',
  'ticket.deleted',
  'message.created',
  'message.updated',
  'initiative.updated',
  'initiative.tickets_linked',
  'initiative.comment_added',
  'notification.created',
  'settings.updated',
] as const satisfies readonly LoggedEventName[];
const SYNC_TIMEOUT_MS = 15_000;
/** View counts are asked for at most this often while events stream in. */
const COUNTS_REFRESH_DELAY_MS = 1000;
/** First and longest wait before connecting again after the server refused the handshake. */
const REFUSED_RETRY_MS = { first: 2_000, max: 60_000 };

function requestSync(since: number | null): Promise<SyncResponse> {
  // socket.io-client types acknowledgements loosely once a timeout is set.
  return socket.timeout(SYNC_TIMEOUT_MS).emitWithAck('sync', { since }) as Promise<SyncResponse>;
}

function applyEvent(queryClient: QueryClient, event: ReplayedEvent): void {
  switch (event.name) {
    case 'ticket.created':
      applyTicketSummary(queryClient, event.payload.ticket);
      break;
    case 'ticket.updated':
      applyTicketSummary(queryClient, event.payload.ticket);
      for (const timelineEvent of event.payload.events) appendTicketEvent(queryClient, event.payload.ticket.id, timelineEvent);
      break;
    case 'ticket.hidden':
    case 'ticket.deleted':
      removeTicket(queryClient, event.payload.ticketId);
      break;
    case 'team.hidden':
      removeTeamTickets(queryClient, event.payload.teamId);
      break;
    case 'message.created':
      appendMessage(queryClient, event.payload.ticketId, event.payload.message);
      break;
    case 'message.updated':
      replaceMessage(queryClient, event.payload.ticketId, event.payload.message);
      break;
    case 'initiative.updated':
      queryClient.setQueryData(careKeys.initiative(event.payload.initiative.id), event.payload.initiative);
      void queryClient.invalidateQueries({ queryKey: careKeys.board });
      void queryClient.invalidateQueries({ queryKey: careKeys.impact(event.payload.initiative.id) });
      break;
    case 'initiative.tickets_linked':
      void queryClient.invalidateQueries({ queryKey: careKeys.initiative(event.payload.initiativeId) });
      break;
    case 'initiative.comment_added':
      void queryClient.invalidateQueries({ queryKey: careKeys.comments(event.payload.initiativeId) });
      break;
    case 'notification.created':
      applyNotification(queryClient, event.payload.notification);
      break;
    case 'settings.updated':
      // Signals are detected with the tag settings' thresholds: the board's list follows them.
      if (event.payload.scope === 'tags') {
        void queryClient.invalidateQueries({ queryKey: tagKeys.settings });
        void queryClient.invalidateQueries({ queryKey: careKeys.signals });
      } else {
        void queryClient.invalidateQueries({ queryKey: journeyKeys.settings });
      }
      break;
  }
}

/**
 * Keeps the query cache current from server pushes while mounted, following the sync contract in
 * contracts/events.ts: a baseline seq on the first connect, a replay of what was missed after every
 * reconnect, and each seq applied once (a push delivered late keeps its seq, so a copy is dropped).
 * Mounted once for the whole signed-in app (LiveUpdatesProvider), so moving between pages keeps the
 * connection. Returns the connection state for display.
 */
export function useLiveUpdates(): LiveStatus {
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>('connecting');

  useEffect(() => {
    const ledger = new EventLedger();
    let countsTimer: number | undefined;
    // Once per window from the first change: a steady stream of events must not postpone the recount forever.
    const refreshCounts = () => {
      if (countsTimer !== undefined) return;
      countsTimer = window.setTimeout(() => {
        countsTimer = undefined;
        void queryClient.invalidateQueries({ queryKey: viewKeys.counts });
      }, COUNTS_REFRESH_DELAY_MS);
    };
    const receive = (event: ReplayedEvent) => {
      if (!ledger.accept(event.payload.seq)) return;
      applyEvent(queryClient, event);
      refreshCounts();
    };
    const reloadEverything = (response: SyncResponse) => {
      ledger.baseline(response.latest);
      void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      void queryClient.invalidateQueries({ queryKey: viewKeys.counts });
      void queryClient.invalidateQueries({ queryKey: notificationKeys.list });
    };
    const catchUp = async () => {
      const since = ledger.since;
      if (since === null) {
        // Data may have loaded before this baseline: reload it once so nothing between the two is lost.
        reloadEverything(await requestSync(null));
        return;
      }
      for (let from = since; ; ) {
        const response = await requestSync(from);
        if (response.reset) return reloadEverything(response);
        for (const event of response.events) receive(event);
        if (!response.hasMore || response.events.length === 0) return;
        from = response.events[response.events.length - 1].payload.seq;
      }
    };
    let refusedRetry: number | undefined;
    let refusedDelay = REFUSED_RETRY_MS.first;
    const onConnect = () => {
      refusedDelay = REFUSED_RETRY_MS.first;
      setStatus('live');
      catchUp().catch(() => {
        // The server did not answer: fall back to reloading what is on screen.
        void queryClient.invalidateQueries({ queryKey: ticketKeys.all });
      });
    };
    const onDisconnect = (reason?: string) => {
      setStatus('offline');
      // The server closes a user's sockets when their role or teams change: connect again for the new rooms.
      if (reason === 'io server disconnect') socket.connect();
    };
    // socket.io gives up after a refusal by the server (its auth middleware, say while a restart is under
    // way), unlike after a network error: try again with backoff; signing out unmounts this and stops it.
    const onConnectError = () => {
      setStatus('offline');
      if (socket.active) return;
      window.clearTimeout(refusedRetry);
      refusedRetry = window.setTimeout(() => socket.connect(), refusedDelay);
      refusedDelay = Math.min(refusedDelay * 2, REFUSED_RETRY_MS.max);
    };
    const pushHandlers = LOGGED_EVENTS.map((name: LoggedEventName) => {
      const handler = (payload: ReplayedEvent['payload']) => receive({ name, payload } as ReplayedEvent);
      socket.on(name, handler);
      return [name, handler] as const;
    });

    socket.on('connect', onConnect);
    socket.on('disconnect', onDisconnect);
    socket.on('connect_error', onConnectError);
    socket.connect();
    return () => {
      window.clearTimeout(countsTimer);
      window.clearTimeout(refusedRetry);
      for (const [name, handler] of pushHandlers) socket.off(name, handler);
      socket.off('connect', onConnect);
      socket.off('disconnect', onDisconnect);
      socket.off('connect_error', onConnectError);
      socket.disconnect();
    };
  }, [queryClient]);

  return status;
}
