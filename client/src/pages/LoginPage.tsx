import { LoginForm } from '../features/auth/components/LoginForm';
import { DEFAULT_ROUTE, navigate, type SignedInRoute } from '../routes';

export function LoginPage({ returnTo }: { returnTo: SignedInRoute | null }) {
  return (
    <main className="login-page">
      <div className="login-card">
        <h1 className="login-card__title">Careloop</h1>
        <p className="muted">Sign in to your team’s inbox.</p>
        <LoginForm onSignedIn={() => navigate(returnTo ?? DEFAULT_ROUTE, { replace: true })} />
      </div>
    </main>
  );
}
