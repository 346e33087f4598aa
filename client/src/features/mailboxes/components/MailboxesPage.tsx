import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useNow } from '../../../lib/hooks';
import { useMailboxes } from '../hooks/useMailboxes';
import { MailboxForm } from './MailboxForm';
import { MailboxItem } from './MailboxItem';
import '../../macros/automation.css';
import '../mailboxes.css';

/** Admins' mailboxes: add, edit, check and remove them, and see whether each imports mail (refreshed on its own). */
export function MailboxesPage({ user }: { user: UserDto }) {
  if (user.role !== 'admin') return <p className="muted">Only admins manage mailboxes.</p>;
  return <MailboxList />;
}

function MailboxList() {
  const mailboxes = useMailboxes();
  const now = useNow(15_000);
  /** The id of the mailbox being edited, or 'new'. */
  const [editing, setEditing] = useState<string | null>(null);

  return (
    <div className="mailboxes" data-testid="mailboxes-page">
      <div className="mailboxes__header">
        <h1>Mailboxes</h1>
        <button type="button" className="button button--primary" onClick={() => setEditing('new')} disabled={editing === 'new'} data-testid="mailbox-new">
          Add mailbox
        </button>
      </div>
      <p className="muted">Mail that arrives in a mailbox's IMAP folder becomes tickets; replies leave through its SMTP server.</p>
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
