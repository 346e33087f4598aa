import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import type { CsvImportMode, CsvImportReportDto } from '../../../../../contracts/customers';
import { errorMessage } from '../../../api/client';
import { formatDateTime } from '../../../lib/format';
import { useCustomerImport, useRotateWebhookSecret, useWebhookSecretStatus } from '../hooks/useCustomers';
import { SubscribersTable } from './SubscribersTable';

/** Subscribers: the table (a row opens the customer); for care owners also the CSV import and the webhook secret. */
export function SubscribersPage({ params, user }: { params: Record<string, string>; user: UserDto }) {
  const caresForData = user.role === 'care_owner' || user.role === 'admin';
  return (
    <div className="subscribers" data-testid="subscribers-page">
      <section aria-labelledby="subscribers-title">
        <h1 id="subscribers-title">Subscribers</h1>
        <SubscribersTable params={params} />
      </section>
      {caresForData && <CsvImport />}
      {caresForData && <WebhookSecret />}
    </div>
  );
}

function CsvImport() {
  const [file, setFile] = useState<File | null>(null);
  const [mode, setMode] = useState<CsvImportMode>('skip_bad_rows');
  const upload = useCustomerImport();
  return (
    <section aria-labelledby="import-title">
      <h2 id="import-title">Import subscribers (CSV)</h2>
      <p className="muted">
        A header row with <code>email</code> and any of: name, external_id, status, started_at, cycle, next_renewal_at, skipped_cycles, plan, lifetime_value, currency, time_zone, cancelled_at. Every row is checked
        before anything is written.
      </p>
      <form
        className="subscribers__import"
        onSubmit={(event) => {
          event.preventDefault();
          if (file) upload.mutate({ file, mode });
        }}
      >
        <input type="file" accept=".csv,text/csv" aria-label="CSV file" onChange={(event) => setFile(event.target.files?.[0] ?? null)} />
        <label>
          <input type="radio" name="mode" checked={mode === 'skip_bad_rows'} onChange={() => setMode('skip_bad_rows')} /> import the good rows, report the bad ones
        </label>
        <label>
          <input type="radio" name="mode" checked={mode === 'all_or_nothing'} onChange={() => setMode('all_or_nothing')} /> import nothing if any row is bad
        </label>
        <button type="submit" className="button button--primary" disabled={!file || upload.isPending}>
          {upload.isPending ? 'Importing…' : 'Import'}
        </button>
      </form>
      {upload.isError && <p className="form-error">{errorMessage(upload.error)}</p>}
      {upload.data && <ImportReport report={upload.data} />}
    </section>
  );
}

function ImportReport({ report }: { report: CsvImportReportDto }) {
  const problems = report.rows.filter((row) => row.outcome === 'refused');
  return (
    <div className="subscribers__report" data-testid="import-report">
      <p>
        <strong>{report.created}</strong> created, <strong>{report.updated}</strong> updated, <strong>{report.refused}</strong> refused
        {report.heldBack > 0 && (
          <>
            , <strong>{report.heldBack}</strong> held back because the file had bad rows
          </>
        )}
        .
      </p>
      {problems.length > 0 && (
        <table className="journeys__table">
          <thead>
            <tr>
              <th>Line</th>
              <th>Email</th>
              <th>Why it was refused</th>
            </tr>
          </thead>
          <tbody>
            {problems.map((row) => (
              <tr key={row.line}>
                <td>{row.line}</td>
                <td>{row.email ?? '—'}</td>
                <td>{row.errors.map((error) => `${error.field}: ${error.message}`).join('; ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

function WebhookSecret() {
  const status = useWebhookSecretStatus();
  const rotate = useRotateWebhookSecret();
  return (
    <section aria-labelledby="webhook-title">
      <h2 id="webhook-title">Subscription webhook</h2>
      <p className="muted">
        The shop sends subscription events (created, renewed, skipped, paused, cancelled, reactivated) to <code>POST /api/subscriptions/events</code>, signed with <code>X-Careloop-Signature: sha256=…</code>{' '}
        (HMAC-SHA256 of the body) or with the secret as bearer token. Repeated event ids are ignored.
      </p>
      <p>{status.data?.configured ? `A secret was created ${formatDateTime(status.data.createdAt ?? '')}.` : 'No secret yet: the webhook refuses every request.'}</p>
      <button
        type="button"
        className="button"
        disabled={rotate.isPending}
        onClick={() => {
          if (!status.data?.configured || window.confirm('The old secret stops working at once. Create a new one?')) rotate.mutate();
        }}
      >
        {status.data?.configured ? 'Replace the secret' : 'Create a secret'}
      </button>
      {rotate.data && (
        <p>
          New secret (shown once): <code data-testid="webhook-secret">{rotate.data.secret}</code>
        </p>
      )}
      {rotate.isError && <p className="form-error">{errorMessage(rotate.error)}</p>}
    </section>
  );
}
