import type { UserDto } from '../../../../../contracts/api';
import type { SetupStep } from '../../../../../contracts/setup';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { routeHref, type SignedInRoute } from '../../../routes';
import { useSetupChecklist } from '../hooks/useSetupChecklist';
import '../setup.css';

const STEPS: Record<SetupStep, { title: string; why: string; action: string; route: SignedInRoute }> = {
  mailbox: { title: 'Connect a mailbox', why: 'Mail to your support address becomes tickets, and replies go out from it.', action: 'Connect a mailbox', route: { page: 'mailboxes' } },
  team: { title: 'Invite your team', why: 'Each person gets an email with a link to choose their password.', action: 'Invite people', route: { page: 'settings', section: 'people' } },
  hours: { title: 'Set your business hours', why: 'SLA clocks can pause outside opening hours and on holidays.', action: 'Set business hours', route: { page: 'sla' } },
  macro: { title: 'Write a first macro', why: 'A saved reply with actions, for the questions you answer every day.', action: 'Write a macro', route: { page: 'macros' } },
  journey: { title: 'Switch on a care journey', why: 'Reach subscribers at the moments they tend to leave, before they ask.', action: 'Open journeys', route: { page: 'journeys' } },
};

/** The first-run checklist: each step links to its page and ticks itself once the workspace shows it done. */
export function SetupChecklist({ user }: { user: UserDto }) {
  const checklist = useSetupChecklist(user);
  if (checklist.isError) return <ErrorNotice error={checklist.error} onRetry={() => void checklist.refetch()} />;
  if (!checklist.isSuccess) return <p className="muted">Loading…</p>;
  return (
    <section className="setup" data-testid="setup-checklist" aria-labelledby="setup-title">
      <header className="setup__header">
        <h1 id="setup-title">Set up your workspace</h1>
        <p className="muted" data-testid="setup-progress">
          {checklist.complete ? 'All done: your team can move in.' : `${checklist.done} of ${checklist.steps.length} done`}
        </p>
        <progress className="setup__bar" max={checklist.steps.length} value={checklist.done} aria-hidden="true" />
      </header>
      <ol className="setup__steps">
        {checklist.steps.map(({ step, done }) => (
          <li key={step} className={done ? 'setup__step setup__step--done' : 'setup__step'} data-testid="setup-step" data-step={step} data-done={done}>
            <span className="setup__tick" aria-label={done ? 'Done' : 'To do'} role="img" />
            <div className="setup__text">
              <strong>{STEPS[step].title}</strong>
              <span className="muted">{STEPS[step].why}</span>
            </div>
            <a className={done ? 'button button--small' : 'button button--primary button--small'} href={routeHref(STEPS[step].route)} data-testid={`setup-go-${step}`}>
              {done ? 'Open' : STEPS[step].action}
            </a>
          </li>
        ))}
      </ol>
    </section>
  );
}
