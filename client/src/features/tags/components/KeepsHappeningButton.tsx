import { useSetTicketFlag, useTicketFlag } from '../hooks/useTagInsights';

/** An agent's "this keeps happening": one click flags the ticket for the care owners' signals, another takes it back. */
export function KeepsHappeningButton({ ticketId }: { ticketId: string }) {
  const flag = useTicketFlag(ticketId);
  const setFlag = useSetTicketFlag(ticketId);
  const flagged = flag.data?.flaggedByMe ?? false;
  return (
    <button
      type="button"
      className={`button button--small${flagged ? ' button--primary' : ''}`}
      aria-pressed={flagged}
      disabled={flag.isPending || setFlag.isPending}
      onClick={() => setFlag.mutate(!flagged)}
      data-testid="keeps-happening"
    >
      This keeps happening{flag.data && flag.data.flags > 0 ? ` · ${flag.data.flags}` : ''}
    </button>
  );
}
