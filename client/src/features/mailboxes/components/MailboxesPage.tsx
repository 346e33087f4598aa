import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useNow } from '../../../lib/hooks';
import { useMailboxes } from '../hooks/useMailboxes';
import { MailboxForm } from './MailboxForm';
import { MailboxItem } from './MailboxItem';
import { OAuthConnect } from './OAuthConnect';
import '../../macros/automation.css';
import '../mailboxes.css';

/** Admins' mailboxes: add, edit, check and remove them, and see whether each imports mail (refreshed on its own). */
export function MailboxesPage({ user }: { user: UserDto }) {
  if (user.role !== 'admin') return <p className="muted">Only admins manage mailboxes.</p>;
  return <MailboxList />;
}

/** What the provider's redirect back said (`#/mailboxes?oauth=connected|failed&message=…`), read once. */
function takeConsentOutcome(): { connected: boolean; mailboxId: string | null; message: string | null } | null {
  const query = new URLSearchParams(window.location.hash.split('?')[1] ?? '');
  const outcome = query.get('oauth');
  if (!outcome) return null;
  // The outcome is shown once: a reload or a shared link does not repeat it.
  window.history.replaceState(null, '', '#/mailboxes');
  return { connected: outcome === 'connected', mailboxId: query.get('mailbox'), message: query.get('message') };
}

function MailboxList() {
  const mailboxes = useMailboxes();
  const [consent, setConsent] = useState(takeConsentOutcome);
  const connected = consent?.connected ? mailboxes.data?.find((mailbox) => mailbox.id === consent.mailboxId) : undefined;
  const now = useNow(15_000);
  /** The id of the mailbox being edited, or 'new'. */
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="mailboxes" data-testid="mailboxes-page">
      <div className="mailboxes__header">
        <h1>Mailboxes</h1>
        <button type="button" className="button" onClick={() => setEditing('new')} disabled={editing === 'new'} data-testid="mailbox-new">
          Add mailbox manually
        </button>
      </div>
      <p className="muted">Mail that arrives in a mailbox's IMAP folder becomes tickets; replies leave through its SMTP server.</p>
      {consent && (
        <div className={consent.connected ? 'mailbox-consent mailbox-consent--ok' : 'mailbox-consent mailbox-consent--failed'} role="status" data-testid="mailbox-consent">
          <strong>{consent.connected ? `Connected${connected ? ` ${connected.address}` : ''}.` : 'Not connected.'}</strong> {consent.message ?? (consent.connected ? 'Mail is being imported; the status below follows it.' : '')}
          <button type="button" className="button button--small" onClick={() => setConsent(null)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      <OAuthConnect />
      {editing === 'new' && <MailboxForm mailbox={null} onDone={() => setEditing(null)} />}
      {mailboxes.isError && <ErrorNotice error={mailboxes.error} onRetry={() => void mailboxes.refetch()} />}
      {mailboxes.isPending && <p className="muted">Loading…</p>}
      <ul className="mailboxes__list" aria-label="Mailboxes">
        {(mailboxes.data ?? []).map((mailbox) =>
          editing === mailbox.id ? (
            <li key={mailbox.id}>
              <MailboxForm mailbox={mailbox} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <MailboxItem key={mailbox.id} mailbox={mailbox} now={now} onEdit={() => setEditing(mailbox.id)} />
          ),
        )}
      </ul>
      {mailboxes.data?.length === 0 && editing !== 'new' && <p className="muted">No mailboxes yet: add your support address to start receiving mail as tickets.</p>}
    </div>
  );
}
