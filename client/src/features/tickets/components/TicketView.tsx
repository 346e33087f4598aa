import { useRef } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { ApiError } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { offerUndo } from '../../../components/UndoToast';
import { formatDateTime } from '../../../lib/format';
import { useShortcuts } from '../../keyboard/hooks/useShortcuts';
import { useTicketPresence } from '../../realtime/hooks/usePresence';
import { TicketSlaPanel } from '../../sla/components/TicketSlaPanel';
import { KeepsHappeningButton } from '../../tags/components/KeepsHappeningButton';
import { TagSuggestions } from '../../tags/components/TagSuggestions';
import { useUserNames } from '../../workspace/hooks/useWorkspace';
import { useTicket } from '../hooks/useTicket';
import { useUpdateTicket } from '../hooks/useUpdateTicket';
import { Composer, type ComposerHandle } from './Composer';
import { CustomerPanel } from './CustomerPanel';
import { MessageItem } from './MessageItem';
import { PresenceBar } from './PresenceBar';
import { StrangerNotice } from './StrangerNotice';
import { TicketProperties } from './TicketProperties';
import { Timeline } from './Timeline';

interface TicketViewProps {
  ticketId: string;
  viewId: string;
  listHref: string;
  user: UserDto;
}

export function TicketView({ ticketId, viewId, listHref, user }: TicketViewProps) {
  const ticket = useTicket(ticketId);
  const userNames = useUserNames();
  const viewers = useTicketPresence(ticketId);
  const others = viewers.filter((viewer) => viewer.userId !== user.id);
  const update = useUpdateTicket(ticketId);
  const composer = useRef<ComposerHandle>(null);
  useShortcuts({
    r: () => composer.current?.start('reply'),
    n: () => composer.current?.start('note'),
    a: () => update.mutate({ assigneeId: user.id }),
    e: () => {
      const previous = ticket.data;
      if (!previous || previous.status === 'solved') return;
      update.mutate({ status: 'solved' }, { onSuccess: () => offerUndo(`Solved #${previous.number}`, () => update.mutate({ status: previous.status })) });
    },
  });
  const backLink = (
    <a className="back-link" href={listHref}>
      ← All tickets
    </a>
  );

  if (ticket.isPending) {
    return (
      <div className="ticket-view">
        {backLink}
        <p className="muted">Loading ticket…</p>
      </div>
    );
  }
  if (ticket.isError) {
    const notFound = ticket.error instanceof ApiError && ticket.error.statusCode === 404;
    return (
      <div className="ticket-view">
        {backLink}
        {notFound ? <p className="muted">This ticket does not exist, or you cannot see it.</p> : <ErrorNotice error={ticket.error} onRetry={() => void ticket.refetch()} />}
      </div>
    );
  }

  const { data } = ticket;
  const customer = data.customer ? (data.customer.name ? `${data.customer.name} <${data.customer.email}>` : data.customer.email) : null;
  return (
    <article className="ticket-view" aria-labelledby="ticket-subject" data-testid="ticket-view" data-ticket-id={data.id}>
      <header className="ticket-view__header">
        {backLink}
        <h1 id="ticket-subject" className="ticket-view__subject" data-testid="ticket-subject">
          {data.subject}
        </h1>
        <p className="ticket-view__meta muted">
          #{data.number}
          {customer && ` · ${customer}`} · opened {formatDateTime(data.createdAt)}
        </p>
        <PresenceBar others={others} />
      </header>
      <div className="ticket-view__main">
        <StrangerNotice ticket={data} viewId={viewId} />
        <ol className="thread" aria-label="Messages">
          {data.messages.map((message) => (
            <MessageItem key={message.id} message={message} ticketId={data.id} userNames={userNames} />
          ))}
        </ol>
        <Composer ref={composer} ticketId={data.id} messages={data.messages} currentUserId={user.id} others={others} userNames={userNames} />
      </div>
      <aside className="ticket-view__side" aria-label="Ticket details">
        <TicketProperties ticket={data} />
        <TagSuggestions ticketId={data.id} />
        <KeepsHappeningButton ticketId={data.id} />
        <TicketSlaPanel ticketId={data.id} />
        {data.customer && <CustomerPanel customerId={data.customer.id} ticketId={data.id} viewId={viewId} />}
        <Timeline events={data.events} userNames={userNames} />
      </aside>
    </article>
  );
}
