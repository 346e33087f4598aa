import type { TicketDetailDto } from '../../../../../contracts/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { navigate, routeHref } from '../../../routes';
import { useMergeTickets } from '../hooks/useUpdateTicket';

/**
 * Mail that answered another ticket but came from someone outside it opens its own ticket: say so, and
 * let the agent merge it there in one click when it is the same customer writing from another address.
 */
export function StrangerNotice({ ticket, viewId }: { ticket: TicketDetailDto; viewId: string }) {
  const merge = useMergeTickets();
  const origin = ticket.events.find((event) => event.type === 'ticket.created' && event.data.reason === 'not_participant');
  const relatedId = typeof origin?.data.relatedTicketId === 'string' ? origin.data.relatedTicketId : null;
  if (!origin || !relatedId || ticket.status === 'closed') return null;
  const { relatedTicketNumber } = origin.data;
  const relatedNumber = typeof relatedTicketNumber === 'number' || typeof relatedTicketNumber === 'string' ? String(relatedTicketNumber) : '';
  const sender = typeof origin.data.from === 'string' ? origin.data.from : 'the sender';
  const mergeIntoRelated = () => {
    // The merge goes out once its undo window ends; the related ticket is where the conversation continues.
    merge.merge(relatedId, [ticket.id], Number(relatedNumber));
    navigate({ page: 'inbox', view: viewId, ticketId: relatedId });
  };
  return (
    <section className="stranger-notice" aria-label="Possibly part of another ticket" data-testid="stranger-notice">
      <p>
        This email answers <a href={routeHref({ page: 'inbox', view: viewId, ticketId: relatedId })}>#{relatedNumber}</a>, but {sender} is not part of that ticket, so
        it was kept apart. If it is the same customer writing from another address, merge it.
      </p>
      <button type="button" className="button button--small" onClick={mergeIntoRelated} disabled={merge.isPending}>
        {merge.isPending ? 'Merging…' : `Merge into #${relatedNumber}`}
      </button>
      {merge.error && <ErrorNotice error={merge.error} />}
    </section>
  );
}
