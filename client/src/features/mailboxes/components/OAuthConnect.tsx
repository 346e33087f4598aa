import { useState } from 'react';
import type { OAuthProviderStatusDto } from '../../../../../contracts/mail';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useOAuthConnect, useOAuthProviders } from '../hooks/useMailboxes';

/**
 * "Connect Google" and "Connect Microsoft 365": the provider's consent page fills the mailbox in. A
 * provider the server has no OAuth app for says which variables to set instead.
 */
export function OAuthConnect() {
  const providers = useOAuthProviders();
  const connect = useOAuthConnect();
  const [address, setAddress] = useState('');

  return (
    <section className="mailbox-connect" aria-labelledby="mailbox-connect-title" data-testid="mailbox-connect">
      <h2 id="mailbox-connect-title" className="mailbox-connect__title">
        Connect with Google or Microsoft 365
      </h2>
      <p className="muted mailbox-connect__intro">Sign in at the provider and allow Careloop to read and send the mailbox's mail; no password is stored.</p>
      <label className="field mailbox-connect__address">
        <span className="field__label">Mailbox address (optional)</span>
        <input type="email" value={address} onChange={(event) => setAddress(event.target.value)} placeholder="support@example.com" data-testid="mailbox-connect-address" />
        <span className="muted mailbox-form__hint">For a shared mailbox or group address you can access; empty: the account you sign in with.</span>
      </label>
      {providers.isPending && <p className="muted">Loading…</p>}
      {providers.isError && <ErrorNotice error={providers.error} onRetry={() => void providers.refetch()} />}
      <div className="mailbox-connect__providers">
        {(providers.data ?? []).map((provider) => (
          <ProviderButton key={provider.provider} provider={provider} busy={connect.isPending} onConnect={() => connect.mutate({ provider: provider.provider, address: address.trim() || undefined })} />
        ))}
      </div>
      {connect.isError && <ErrorNotice error={connect.error} />}
    </section>
  );
}

function ProviderButton({ provider, busy, onConnect }: { provider: OAuthProviderStatusDto; busy: boolean; onConnect: () => void }) {
  return (
    <div className="mailbox-connect__provider" data-testid={`connect-${provider.provider}`} data-configured={String(provider.configured)}>
      <button type="button" className="button button--primary" disabled={!provider.configured || busy} onClick={onConnect} data-testid={`connect-${provider.provider}-button`}>
        Connect {provider.label}
      </button>
      {!provider.configured && (
        <span className="muted mailbox-connect__missing" data-testid={`connect-${provider.provider}-missing`}>
          Not set up on this server: set {provider.missing.join(' and ')} (the app registered with {provider.label}; redirect URI {provider.redirectUri}).
        </span>
      )}
    </div>
  );
}
