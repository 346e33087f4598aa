import { useState, type FormEvent } from 'react';
import { INITIATIVE_STATUSES, type InitiativeStatus } from '../../../../../contracts/care';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime } from '../../../lib/format';
import { DEFAULT_ROUTE, routeHref } from '../../../routes';
import { useUserNames } from '../../workspace/hooks/useWorkspace';
import { useAddComment, useComments, useImpact, useInitiative, useInitiativeTickets, useMoveInitiative, useUpdateInitiative } from '../hooks/useCare';
import '../care.css';
import { COLUMN_TITLES } from './careFormat';
import { ImpactChart } from './ImpactChart';

function Comments({ initiativeId }: { initiativeId: string }) {
  const comments = useComments(initiativeId);
  const add = useAddComment(initiativeId);
  const [draft, setDraft] = useState('');
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (draft.trim()) add.mutate(draft.trim(), { onSuccess: () => setDraft('') });
  };
  return (
    <section aria-labelledby="comments-title">
      <h2 id="comments-title">Comments</h2>
      <ol className="care-comments">
        {comments.data?.map((comment) => (
          <li key={comment.id}>
            <strong>{comment.authorName ?? 'Someone'}</strong> <span className="muted">{formatDateTime(comment.createdAt)}</span>
            <div>{comment.body}</div>
          </li>
        ))}
      </ol>
      <form onSubmit={submit}>
        <textarea value={draft} onChange={(event) => setDraft(event.target.value)} rows={3} aria-label="New comment" />
        {add.isError && <p className="form-error">{errorMessage(add.error)}</p>}
        <button type="submit" className="button button--small" disabled={add.isPending || !draft.trim()}>
          Comment
        </button>
      </form>
    </section>
  );
}

/** One initiative: what it is, its status, the chart of its ticket rate around the shipped day, its tickets (live) and comments. */
export function InitiativePage({ initiativeId }: { initiativeId: string }) {
  const initiative = useInitiative(initiativeId);
  const tickets = useInitiativeTickets(initiativeId);
  const impact = useImpact(initiativeId);
  const move = useMoveInitiative();
  const update = useUpdateInitiative(initiativeId);
  const userNames = useUserNames();

  if (initiative.isPending) return <p className="muted care-initiative">Loading…</p>;
  if (initiative.isError) return <ErrorNotice error={initiative.error} onRetry={() => void initiative.refetch()} />;
  const data = initiative.data;
  return (
    <div className="care-initiative">
      <div>
        <a className="back-link" href={routeHref({ page: 'care' })}>
          ← Board
        </a>
        <h1>{data.title}</h1>
        <p className="muted">
          {data.ownerId ? `Owner: ${userNames.get(data.ownerId) ?? 'unknown'}` : 'No owner yet'} · {data.tags.join(', ') || 'no tags'}
          {data.query && ` · “${data.query}”`}
        </p>
        <label className="field">
          <span className="field__label">Status</span>
          <select value={data.status} onChange={(event) => move.mutate({ id: data.id, move: { status: event.target.value as InitiativeStatus, index: 0 } })}>
            {INITIATIVE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {COLUMN_TITLES[status]}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Shipped on</span>
          <input
            type="date"
            value={data.shippedAt?.slice(0, 10) ?? ''}
            onChange={(event) => update.mutate({ shippedAt: event.target.value ? new Date(`${event.target.value}T00:00:00Z`).toISOString() : null })}
          />
        </label>
        {data.hypothesis && <p>{data.hypothesis}</p>}
        {data.targetMetric && <p className="muted">Target: {data.targetMetric}</p>}
        {impact.data && <ImpactChart impact={impact.data} />}
        {impact.isError && <ErrorNotice error={impact.error} onRetry={() => void impact.refetch()} />}
      </div>
      <aside>
        <section aria-labelledby="tickets-title">
          <h2 id="tickets-title">Tickets {tickets.data && <span className="muted">{tickets.data.total}</span>}</h2>
          <ul className="care-initiative__tickets" data-testid="initiative-tickets">
            {tickets.data?.items.map((ticket) => (
              <li key={ticket.id}>
                <a href={routeHref({ ...DEFAULT_ROUTE, ticketId: ticket.id })}>
                  #{ticket.number} {ticket.subject}
                </a>{' '}
                <span className="muted">{formatDateTime(ticket.createdAt)}</span>
              </li>
            ))}
          </ul>
        </section>
        <Comments initiativeId={initiativeId} />
      </aside>
    </div>
  );
}
