import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { DEFAULT_ROUTE, navigate } from '../../../routes';
import { authKeys } from '../../auth/api/auth.api';
import { acceptInvitation, fetchInvitation } from '../api/people.api';

/** Where an invitation link lands: the invited person chooses a password and is signed in. */
export function WelcomePage({ token }: { token: string }) {
  const queryClient = useQueryClient();
  const invitation = useQuery({ queryKey: ['invitation', token], queryFn: () => fetchInvitation(token), retry: false, enabled: token !== '' });
  const accept = useMutation({
    mutationFn: acceptInvitation,
    onSuccess: (session) => {
      queryClient.clear();
      queryClient.setQueryData(authKeys.me, session.user);
      navigate(DEFAULT_ROUTE, { replace: true });
    },
  });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const mismatch = repeat !== '' && repeat !== password;
  const passwordError = accept.error instanceof ApiError ? accept.error.fieldMessage('password') : undefined;

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (!mismatch) accept.mutate({ token, password });
  };

  return (
    <main className="login-page">
      <div className="login-card" data-testid="welcome-page">
        <h1 className="login-card__title">Careloop</h1>
        {invitation.isPending && token !== '' && <p className="muted">Checking your invitation…</p>}
        {(token === '' || invitation.isError) && (
          <>
            <p className="form-error" role="alert" data-testid="welcome-error">
              {token === '' ? 'This link has no invitation in it. Open the link from your invitation email again.' : errorMessage(invitation.error)}
            </p>
            <p>
              <a href="#/login">Go to sign in</a>
            </p>
          </>
        )}
        {invitation.data && (
          <form className="login-form" onSubmit={submit}>
            <p>
              Welcome, {invitation.data.name}. Choose a password for <strong>{invitation.data.email}</strong>.
            </p>
            <label className="field">
              <span className="field__label">Password (at least 10 characters)</span>
              <input type="password" autoComplete="new-password" minLength={10} required autoFocus value={password} onChange={(event) => setPassword(event.target.value)} data-testid="welcome-password" />
              {passwordError && <span className="field__error">{passwordError}</span>}
            </label>
            <label className="field">
              <span className="field__label">Repeat it</span>
              <input type="password" autoComplete="new-password" required value={repeat} onChange={(event) => setRepeat(event.target.value)} data-testid="welcome-repeat" aria-invalid={mismatch || undefined} />
              {mismatch && <span className="field__error">The two passwords differ.</span>}
            </label>
            {accept.isError && !passwordError && (
              <p className="form-error" role="alert">
                {errorMessage(accept.error)}
              </p>
            )}
            <button type="submit" className="button button--primary" disabled={accept.isPending || mismatch} data-testid="welcome-submit">
              {accept.isPending ? 'Signing in…' : 'Set password and sign in'}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
