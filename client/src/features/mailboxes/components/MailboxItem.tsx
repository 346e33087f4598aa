import { useState } from 'react';
import type { MailboxDto } from '../../../../../contracts/mail';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { formatDateTime, formatRelativeTime } from '../../../lib/format';
import { routeHref } from '../../../routes';
import { deleteMailbox, updateMailbox } from '../api/mailboxes.api';
import { useMailboxChange, useMailboxTest, useOAuthConnect } from '../hooks/useMailboxes';
import { formatLag, PROVIDER_LABELS, STATE_LABELS } from '../mailboxHealth';

/** One result of a connection check: ok, or what failed in words. */
function CheckResult({ protocol, result }: { protocol: 'IMAP' | 'SMTP'; result: { ok: boolean; message: string } }) {
  return (
    <li className={result.ok ? 'mailbox-check mailbox-check--ok' : 'mailbox-check mailbox-check--failed'} data-testid={`mailbox-check-${protocol.toLowerCase()}`} data-ok={String(result.ok)}>
      <strong>
        {protocol} {result.ok ? '✓ OK' : '✗ Failed'}
      </strong>
      <span>{result.message}</span>
    </li>
  );
}

/** A mailbox in the list: its health (state, last error, sync, counts), a connection check, and its actions. */
export function MailboxItem({ mailbox, now, onEdit }: { mailbox: MailboxDto; now: number; onEdit: () => void }) {
  const { health } = mailbox;
  const change = useMailboxChange(updateMailbox);
  const remove = useMailboxChange(deleteMailbox);
  const check = useMailboxTest();
  const reconnect = useOAuthConnect();
  const provider = mailbox.oauthProvider ? PROVIDER_LABELS[mailbox.oauthProvider] : null;
  /** The setting the toggle was just switched to, shown at once while the change is on its way. */
  const [switchedTo, setSwitchedTo] = useState<boolean | null>(null);

  return (
    <li className="mailbox" data-testid="mailbox-item" data-mailbox-id={mailbox.id} data-state={health.state}>
      <div className="mailbox__header">
        <div className="mailbox__identity">
          <strong className="mailbox__name">{mailbox.name}</strong>
          <span className="muted mailbox__address">{mailbox.address}</span>
          {provider && (
            <span className="muted mailbox__oauth" data-testid="mailbox-oauth">
              Signed in with {provider}
              {mailbox.oauthAccount && mailbox.oauthAccount !== mailbox.address ? ` as ${mailbox.oauthAccount}` : ''}
            </span>
          )}
          {mailbox.captureOutbox && (
            <span className="mailbox__demo" data-testid="mailbox-demo">
              <span className="badge badge--demo">Demo</span> Replies are kept in the <a href={routeHref({ page: 'demo_outbox' })}>demo outbox</a>, not sent.
            </span>
          )}
        </div>
        <span className={`mailbox__state mailbox__state--${health.state}`} data-testid="mailbox-state">
          {STATE_LABELS[health.state]}
        </span>
      </div>
      {health.state === 'error' && health.lastError && (
        <p className="mailbox__error" role="alert" data-testid="mailbox-error">
          {health.lastError}
          {health.lastErrorAt && <span className="mailbox__error-time"> ({formatRelativeTime(health.lastErrorAt, now)})</span>}
        </p>
      )}
      <dl className="mailbox__facts">
        <div>
          <dt>Last sync</dt>
          <dd title={health.lastSyncAt ? formatDateTime(health.lastSyncAt) : undefined} data-testid="mailbox-last-sync">
            {health.lastSyncAt ? formatRelativeTime(health.lastSyncAt, now) : 'never'}
          </dd>
        </div>
        <div>
          <dt>Lag</dt>
          <dd>{health.lagSeconds === null ? '—' : formatLag(health.lagSeconds)}</dd>
        </div>
        <div>
          <dt>In folder</dt>
          <dd data-testid="mailbox-folder-count">{health.folderMessages ?? '—'}</dd>
        </div>
        <div>
          <dt>Imported</dt>
          <dd data-testid="mailbox-imported">{health.importedMessages}</dd>
        </div>
        <div>
          <dt title="The same message delivered again, or a copy of mail Careloop sent: not imported twice">Re-deliveries</dt>
          <dd data-testid="mailbox-skipped">{health.skippedRedeliveries}</dd>
        </div>
        {health.quarantinedMessages > 0 && (
          <div>
            <dt title="Could not be stored at all; still in the mail folder">Quarantined</dt>
            <dd data-testid="mailbox-quarantined">{health.quarantinedMessages}</dd>
          </div>
        )}
        <div>
          <dt title="Imported mail that could not be parsed fully, was oversized, bounced or had its charset guessed">Flagged</dt>
          <dd data-testid="mailbox-flagged">{health.flaggedMessages}</dd>
        </div>
      </dl>
      {health.quarantine.length > 0 && (
        <ul className="mailbox__quarantine" aria-label="Quarantined messages" data-testid="mailbox-quarantine">
          {health.quarantine.map((entry) => (
            <li key={entry.uid}>
              UID {entry.uid}: {entry.reason}
            </li>
          ))}
        </ul>
      )}
      <div className="mailbox__actions">
        <label className="mailbox__toggle">
          <input
            type="checkbox"
            checked={switchedTo ?? mailbox.isActive}
            disabled={change.isPending}
            onChange={(event) => {
              setSwitchedTo(event.target.checked);
              change.mutate({ id: mailbox.id, changes: { isActive: event.target.checked } }, { onSettled: () => setSwitchedTo(null) });
            }}
            data-testid="mailbox-active"
          />{' '}
          Active
        </label>
        <div className="mailbox__buttons">
          {mailbox.oauthProvider && (
            <button
              type="button"
              className={health.state === 'error' ? 'button button--small button--primary' : 'button button--small'}
              disabled={reconnect.isPending}
              onClick={() => mailbox.oauthProvider && reconnect.mutate({ provider: mailbox.oauthProvider, mailboxId: mailbox.id })}
              title="Sign in at the provider again; the mailbox keeps its tickets and where its import stopped"
              data-testid="mailbox-reconnect"
            >
              {reconnect.isPending ? 'Opening…' : 'Reconnect'}
            </button>
          )}
          <button type="button" className="button button--small" disabled={check.isPending} onClick={() => check.mutate(mailbox.id)} data-testid="mailbox-test">
            {check.isPending ? 'Testing…' : 'Test connection'}
          </button>
          <button type="button" className="button button--small" onClick={onEdit} data-testid="mailbox-edit">
            Edit
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={remove.isPending}
            onClick={() => window.confirm(`Remove the mailbox ${mailbox.address}? Its tickets stay, but no more mail is imported or sent through it.`) && remove.mutate(mailbox.id)}
            data-testid="mailbox-delete"
          >
            Delete
          </button>
        </div>
      </div>
      {check.data && (
        <ul className="mailbox__checks" aria-label="Connection check" data-testid="mailbox-checks">
          <CheckResult protocol="IMAP" result={check.data.imap} />
          <CheckResult protocol="SMTP" result={check.data.smtp} />
          <li className="muted mailbox__checked">Checked {formatRelativeTime(new Date(check.submittedAt).toISOString(), now)}</li>
        </ul>
      )}
      {[check, change, remove, reconnect].map((mutation, index) => mutation.isError && <ErrorNotice key={index} error={mutation.error} />)}
    </li>
  );
}
