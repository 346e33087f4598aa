import { useState, type ReactNode } from 'react';
import type { CreateMailboxRequest, MailboxDto, UpdateMailboxRequest } from '../../../../../contracts/mail';
import { ApiError, errorMessage } from '../../../api/client';
import { createMailbox, updateMailbox } from '../api/mailboxes.api';
import { useMailboxChange } from '../hooks/useMailboxes';
import { PROVIDER_LABELS } from '../mailboxHealth';
import { PROVIDER_PRESETS } from '../providerPresets';

type Protocol = 'imap' | 'smtp';
/** The form's values: every field filled in, and the sent folder as text (empty: no copies are filed). */
type Draft = Required<Omit<CreateMailboxRequest, 'sentFolder'>> & { sentFolder: string };

/** The ports that go with TLS off and on; switching TLS moves a port that was the other setting's default. */
const PORTS: Record<Protocol, { plain: number; tls: number }> = { imap: { plain: 143, tls: 993 }, smtp: { plain: 587, tls: 465 } };

/** A new mailbox starts from the API's defaults: IMAP on 993 with TLS, SMTP on 587 with STARTTLS, the INBOX folder. */
const NEW_MAILBOX: Draft = {
  name: '',
  address: '',
  isActive: true,
  imapHost: '',
  imapPort: PORTS.imap.tls,
  imapTls: true,
  imapUser: '',
  imapPassword: '',
  imapFolder: 'INBOX',
  smtpHost: '',
  smtpPort: PORTS.smtp.plain,
  smtpTls: false,
  smtpUser: '',
  smtpPassword: '',
  sentFolder: '',
  plusAddressing: false,
  reopenWindowDays: 14,
};

/** Passwords are never sent to the client: on an edit their fields start empty, and empty keeps the stored one. */
function initialDraft(mailbox: MailboxDto | null): Draft {
  if (!mailbox) return NEW_MAILBOX;
  const { name, address, isActive, imapPort, imapTls, imapFolder, smtpPort, smtpTls, plusAddressing, reopenWindowDays } = mailbox;
  const text = { imapHost: mailbox.imapHost ?? '', imapUser: mailbox.imapUser ?? '', smtpHost: mailbox.smtpHost ?? '', smtpUser: mailbox.smtpUser ?? '', sentFolder: mailbox.sentFolder ?? '' };
  return { ...NEW_MAILBOX, name, address, isActive, imapPort, imapTls, imapFolder, smtpPort, smtpTls, plusAddressing, reopenWindowDays, ...text };
}

/** What goes to the API: on an update an empty password is left out, so the stored one stays. */
function toRequest(draft: Draft, editing: boolean): CreateMailboxRequest | UpdateMailboxRequest {
  const { imapPassword, smtpPassword, sentFolder, ...fields } = draft;
  const request: UpdateMailboxRequest = { ...fields, sentFolder: sentFolder.trim() || null };
  if (!editing || imapPassword) request.imapPassword = imapPassword;
  if (!editing || smtpPassword) request.smtpPassword = smtpPassword;
  return request;
}

/** A labelled field with the API's message for it, if it refused the value. */
function Field({ label, error, hint, children }: { label: string; error?: string; hint?: string; children: ReactNode }) {
  return (
    <label className="field">
      <span className="field__label">{label}</span>
      {children}
      {hint && <span className="muted mailbox-form__hint">{hint}</span>}
      {error && <span className="field__error">{error}</span>}
    </label>
  );
}

/** Adds or edits a mailbox: its address, the IMAP server mail arrives on and the SMTP server replies leave by. */
export function MailboxForm({ mailbox, onDone }: { mailbox: MailboxDto | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => initialDraft(mailbox));
  const [presetId, setPresetId] = useState('custom');
  const preset = PROVIDER_PRESETS.find((candidate) => candidate.id === presetId);
  /** OAuth mailboxes log in with their provider's tokens: no user or password fields. */
  const oauthLabel = mailbox?.oauthProvider ? PROVIDER_LABELS[mailbox.oauthProvider] : null;
  const applyPreset = (id: string) => {
    setPresetId(id);
    const chosen = PROVIDER_PRESETS.find((candidate) => candidate.id === id);
    if (!chosen) return;
    set({
      imapHost: chosen.imap.host,
      imapPort: chosen.imap.port,
      imapTls: chosen.imap.tls,
      smtpHost: chosen.smtp.host,
      smtpPort: chosen.smtp.port,
      smtpTls: chosen.smtp.tls,
      sentFolder: chosen.sentFolder,
      plusAddressing: chosen.plusAddressing,
      // The login is the address for all of these providers.
      imapUser: draft.imapUser || draft.address,
      smtpUser: draft.smtpUser || draft.address,
    });
  };
  const save = useMailboxChange((value: Draft) =>
    mailbox ? updateMailbox({ id: mailbox.id, changes: toRequest(value, true) }) : createMailbox(toRequest(value, false) as CreateMailboxRequest),
  );
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const fieldError = (field: keyof Draft) => (save.error instanceof ApiError ? save.error.fieldMessage(field) : undefined);
  const fieldsRefused = Object.keys(draft).some((field) => fieldError(field as keyof Draft));
  const text = (field: keyof Draft & ('name' | 'address' | 'imapFolder' | 'sentFolder'), props: { type?: string; required?: boolean; placeholder?: string } = {}) => (
    <input {...props} value={draft[field]} onChange={(event) => set({ [field]: event.target.value })} aria-invalid={fieldError(field) ? true : undefined} data-testid={`mailbox-${field}`} />
  );

  const server = (protocol: Protocol, title: string, extra: ReactNode) => {
    const host = `${protocol}Host` as const;
    const port = `${protocol}Port` as const;
    const tls = `${protocol}Tls` as const;
    const user = `${protocol}User` as const;
    const password = `${protocol}Password` as const;
    const stored = protocol === 'imap' ? mailbox?.hasImapPassword : mailbox?.hasSmtpPassword;
    const switchTls = (on: boolean) => {
      const { plain, tls: secure } = PORTS[protocol];
      const current = draft[port];
      set({ [tls]: on, [port]: current === (on ? plain : secure) ? (on ? secure : plain) : current });
    };
    return (
      <fieldset className="mailbox-form__section" data-testid={`mailbox-${protocol}`}>
        <legend>{title}</legend>
        <div className="mailbox-form__server mailbox-form__server--host">
          <Field label="Host" error={fieldError(host)}>
            <input value={draft[host]} onChange={(event) => set({ [host]: event.target.value })} required placeholder={`${protocol}.example.com`} aria-invalid={fieldError(host) ? true : undefined} data-testid={`mailbox-${host}`} />
          </Field>
          <Field label="Port" error={fieldError(port)}>
            <input type="number" min={1} max={65535} value={draft[port]} onChange={(event) => set({ [port]: Number(event.target.value) })} required data-testid={`mailbox-${port}`} />
          </Field>
        </div>
        <label className="mailbox-form__check">
          <input type="checkbox" checked={draft[tls]} onChange={(event) => switchTls(event.target.checked)} data-testid={`mailbox-${tls}`} /> TLS from the start (port {PORTS[protocol].tls}); off: STARTTLS when the server offers it
        </label>
        {oauthLabel ? (
          <p className="muted mailbox-form__hint">Signs in with {oauthLabel} (OAuth2) as {draft[user]}; use Reconnect to sign in again.</p>
        ) : (
        <div className="mailbox-form__server">
          <Field label="User" error={fieldError(user)}>
            <input value={draft[user]} onChange={(event) => set({ [user]: event.target.value })} required autoComplete="off" data-testid={`mailbox-${user}`} />
          </Field>
          <Field label="Password" error={fieldError(password)} hint={stored ? 'Stored — leave empty to keep' : undefined}>
            <input
              type="password"
              value={draft[password]}
              onChange={(event) => set({ [password]: event.target.value })}
              required={!stored}
              autoComplete="new-password"
              data-testid={`mailbox-${password}`}
            />
          </Field>
        </div>
        )}
        {extra}
      </fieldset>
    );
  };

  return (
    <form
      className="automation__form mailbox-form"
      data-testid="mailbox-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, { onSuccess: onDone });
      }}
    >
      <h2 className="mailbox-form__title">{mailbox ? `Edit ${mailbox.name}` : 'Add a mailbox'}</h2>
      {!oauthLabel && (
        <Field label="Provider" hint={preset?.note ?? 'Any IMAP and SMTP server: enter its settings below.'}>
          <select value={presetId} onChange={(event) => applyPreset(event.target.value)} data-testid="mailbox-preset">
            {PROVIDER_PRESETS.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.label}
              </option>
            ))}
            <option value="custom">Other (custom settings)</option>
          </select>
        </Field>
      )}
      <div className="mailbox-form__server">
        <Field label="Name" error={fieldError('name')}>
          {text('name', { required: true, placeholder: 'Support' })}
        </Field>
        <Field label="Address" error={fieldError('address')}>
          {text('address', { type: 'email', required: true, placeholder: 'support@example.com' })}
        </Field>
      </div>
      {server(
        'imap',
        'Incoming mail (IMAP)',
        <div className="mailbox-form__server">
          <Field label="Folder" error={fieldError('imapFolder')}>
            {text('imapFolder', { required: true })}
          </Field>
          <Field label="Sent folder" error={fieldError('sentFolder')} hint="Where copies of replies are filed; empty: none are">
            {text('sentFolder', { placeholder: 'Sent' })}
          </Field>
        </div>,
      )}
      {server('smtp', 'Outgoing mail (SMTP)', null)}
      <fieldset className="mailbox-form__section">
        <legend>Tickets</legend>
        <label className="mailbox-form__check">
          <input type="checkbox" checked={draft.isActive} onChange={(event) => set({ isActive: event.target.checked })} data-testid="mailbox-isActive" /> Active: import mail and send replies
        </label>
        <label className="mailbox-form__check">
          <input type="checkbox" checked={draft.plusAddressing} onChange={(event) => set({ plusAddressing: event.target.checked })} /> Plus addressing: replies go out with a Reply-To of support+t1234@…
        </label>
        <Field label="Reopen window (days)" error={fieldError('reopenWindowDays')} hint="A reply to a ticket solved longer ago opens a follow-up instead">
          <input type="number" min={0} max={365} value={draft.reopenWindowDays} onChange={(event) => set({ reopenWindowDays: Number(event.target.value) })} className="mailbox-form__days" />
        </Field>
      </fieldset>
      {save.isError && <p className="form-error" data-testid="mailbox-form-error">{fieldsRefused ? 'Some fields need a fix: see the messages under them.' : errorMessage(save.error)}</p>}
      <div className="mailbox-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="mailbox-save">
          {save.isPending ? 'Saving…' : mailbox ? 'Save mailbox' : 'Add mailbox'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
