import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { UserDto } from '../../../../../contracts/api';
import type { ListenerHealthDto } from '../../../../../contracts/system';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatRelativeTime } from '../../../lib/format';
import { useNow } from '../../../lib/hooks';
import { fetchEventHealth, retryDeadLetters, systemKeys } from '../api/system.api';
import '../system.css';

/** How often the open page asks again, so counts and errors stay current. */
const REFRESH_MS = 5_000;

/** Admins' health page of the event pipeline: what each listener still owes, what failed and why, and a retry. */
export function SystemPage({ user }: { user: UserDto }) {
  if (user.role !== 'admin') return <p className="muted">Only admins see the system's health.</p>;
  return <EventHealth />;
}

function EventHealth() {
  const health = useQuery({ queryKey: systemKeys.events, queryFn: fetchEventHealth, refetchInterval: REFRESH_MS });
  const now = useNow(REFRESH_MS);
  return (
    <div className="system" data-testid="system-page">
      <h1>System</h1>
      <p className="muted">Every change tells its listeners (routing, SLA, journeys, live pushes …) once. A listener that fails is retried on its own; after its last try the events wait here for you.</p>
      {health.isError && <ErrorNotice error={health.error} onRetry={() => void health.refetch()} />}
      {health.isPending && <p className="muted">Loading…</p>}
      {health.data && (
        <ul className="system__listeners" aria-label="Event listeners">
          {health.data.listeners.map((listener) => (
            <ListenerItem key={listener.name} listener={listener} now={now} />
          ))}
        </ul>
      )}
      {health.data && health.data.deadLetters.length > 0 && (
        <section className="system__dead" aria-label="Dead letters">
          <h2>Dead letters</h2>
          <table>
            <thead>
              <tr>
                <th>Listener</th>
                <th>Event</th>
                <th>Tries</th>
                <th>Error</th>
                <th>Given up</th>
              </tr>
            </thead>
            <tbody>
              {health.data.deadLetters.map((letter) => (
                <tr key={`${letter.listener}:${letter.eventId}`}>
                  <td>{letter.listener}</td>
                  <td>
                    {letter.event} <span className="muted">#{letter.eventId}</span>
                  </td>
                  <td>{letter.attempts}</td>
                  <td className="system__error-text">{letter.error ?? '—'}</td>
                  <td>{formatRelativeTime(letter.deadAt, now)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}

function ListenerItem({ listener, now }: { listener: ListenerHealthDto; now: number }) {
  const queryClient = useQueryClient();
  const retry = useMutation({ mutationFn: () => retryDeadLetters(listener.name), onSuccess: () => queryClient.invalidateQueries({ queryKey: systemKeys.events }) });
  const state = listener.dead > 0 ? 'dead' : listener.retrying > 0 ? 'retrying' : 'ok';
  return (
    <li className="system-listener" data-state={state} data-testid={`listener-${listener.name}`}>
      <div className="system-listener__header">
        <div>
          <strong>{listener.name}</strong>
          <div className="muted system-listener__events">{listener.events.join(', ') || 'no longer in the code'}</div>
        </div>
        <span className={`system-listener__state system-listener__state--${state}`}>{state === 'dead' ? 'Needs you' : state === 'retrying' ? 'Retrying' : 'Healthy'}</span>
      </div>
      {listener.lastError && (
        <p className="system-listener__error">
          {listener.lastError} {listener.lastFailedAt && <span className="system-listener__error-time">({formatRelativeTime(listener.lastFailedAt, now)})</span>}
        </p>
      )}
      <dl className="system-listener__facts">
        <div>
          <dt>Pending</dt>
          <dd>{listener.pending}</dd>
        </div>
        <div>
          <dt>Retrying</dt>
          <dd>{listener.retrying}</dd>
        </div>
        <div>
          <dt>Dead</dt>
          <dd>{listener.dead}</dd>
        </div>
        <div>
          <dt>Oldest</dt>
          <dd>{listener.oldestAgeSeconds === null ? '—' : formatAge(listener.oldestAgeSeconds)}</dd>
        </div>
      </dl>
      {listener.dead > 0 && (
        <div className="system-listener__actions">
          <button type="button" className="button button--primary" onClick={() => retry.mutate()} disabled={retry.isPending} data-testid={`retry-${listener.name}`}>
            {retry.isPending ? 'Retrying…' : `Retry ${listener.dead}`}
          </button>
          {retry.isError && <ErrorNotice error={retry.error} />}
        </div>
      )}
    </li>
  );
}

function formatAge(seconds: number): string {
  if (seconds < 60) return `${seconds} s`;
  if (seconds < 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 86_400) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} d`;
}
