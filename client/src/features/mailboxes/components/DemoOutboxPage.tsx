import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatBytes, formatDateTime } from '../../../lib/format';
import { routeHref } from '../../../routes';
import { useDemoOutbox } from '../hooks/useMailboxes';
import '../mailboxes.css';

/** What the demo mailbox would have sent: kept here, with envelope and headers, and never delivered. */
export function DemoOutboxPage() {
  const outbox = useDemoOutbox();
  return (
    <div className="demo-outbox" data-testid="demo-outbox">
      <p className="demo-outbox__back">
        <a href={routeHref({ page: 'mailboxes' })}>Mailboxes</a> / Demo outbox
      </p>
      <h1>
        Demo outbox <span className="badge badge--demo">Demo</span>
      </h1>
      <p className="demo-outbox__notice" role="note">
        Nothing on this page was sent. The demo mailbox is not connected to a mail server, so what it would have sent (replies, care emails) is kept here for you to read. Connect a real mailbox to
        send for real.
      </p>
      {outbox.isError && <ErrorNotice error={outbox.error} onRetry={() => void outbox.refetch()} />}
      {outbox.isPending && <p className="muted">Loading…</p>}
      {outbox.data?.length === 0 && <p className="muted">Empty so far: reply to a demo ticket and the email appears here.</p>}
      <ul className="demo-outbox__list">
        {(outbox.data ?? []).map((email) => (
          <li key={email.id} className="demo-outbox__item" data-testid="captured-email">
            <details>
              <summary>
                <strong className="demo-outbox__subject">{email.subject || '(no subject)'}</strong>
                <span className="muted">
                  to {email.envelopeTo.join(', ')} · {formatDateTime(email.capturedAt)} · {formatBytes(email.size)}
                </span>
              </summary>
              <dl className="demo-outbox__headers" aria-label="Headers">
                <div className="demo-outbox__header">
                  <dt>Envelope</dt>
                  <dd>
                    from {email.envelopeFrom} to {email.envelopeTo.join(', ')} ({email.mailboxName})
                  </dd>
                </div>
                {email.headers.map((header, index) => (
                  <div key={index} className="demo-outbox__header">
                    <dt>{header.name}</dt>
                    <dd>{header.value}</dd>
                  </div>
                ))}
              </dl>
              <pre className="demo-outbox__body">{email.bodyText}</pre>
            </details>
          </li>
        ))}
      </ul>
    </div>
  );
}
