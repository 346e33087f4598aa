import { useState, type FormEvent } from 'react';
import { ApiError, errorMessage } from '../../../api/client';
import { useLogin } from '../hooks/useAuth';

export function LoginForm({ onSignedIn }: { onSignedIn: () => void }) {
  const login = useLogin();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const fieldError = (field: string) => (login.error instanceof ApiError ? login.error.fieldMessage(field) : undefined);

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    login.mutate({ email: email.trim(), password }, { onSuccess: onSignedIn });
  };

  return (
    <form className="login-form" data-testid="login-form" onSubmit={submit}>
      <label className="field">
        <span className="field__label">Email</span>
        <input
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          aria-invalid={fieldError('email') ? true : undefined}
          data-testid="login-email"
        />
        {fieldError('email') && <span className="field__error">{fieldError('email')}</span>}
      </label>
      <label className="field">
        <span className="field__label">Password</span>
        <input
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          aria-invalid={fieldError('password') ? true : undefined}
          data-testid="login-password"
        />
        {fieldError('password') && <span className="field__error">{fieldError('password')}</span>}
      </label>
      {login.isError && (
        <p className="form-error" role="alert" data-testid="login-error">
          {errorMessage(login.error)}
        </p>
      )}
      <button type="submit" className="button button--primary" disabled={login.isPending} data-testid="login-submit">
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </button>
    </form>
  );
}
