import { useState } from 'react';
import { EXIT_GOALS, type CreateJourneyRequest, type JourneyDto, type JourneyStep, type JourneyStepType, type JourneyTrigger, type JourneyTriggerType } from '../../../../../contracts/journeys';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { navigate, routeHref } from '../../../routes';
import { useMailboxOptions, useUsers } from '../../workspace/hooks/useWorkspace';
import { createJourney, deleteJourney, testSend, updateJourney } from '../api/journeys.api';
import { useJourney, useJourneyChange } from '../hooks/useJourneys';
import { describeStep, describeTrigger, GOAL_LABELS, STEP_TYPE_LABELS, TRIGGER_LABELS } from '../journeyLabels';
import { JourneyStatusToggle } from './JourneyStatusToggle';
import { StepEditor } from './StepEditor';

type Draft = Required<Omit<CreateJourneyRequest, 'steps' | 'trigger'>> & { trigger: JourneyTrigger; steps: JourneyStep[] };

const TRIGGER_DEFAULTS: Record<JourneyTriggerType, JourneyTrigger> = {
  first_cycle_ticket: { type: 'first_cycle_ticket' },
  ticket_tagged: { type: 'ticket_tagged', tag: 'damaged' },
  subscription_day: { type: 'subscription_day', days: 30 },
  before_renewal: { type: 'before_renewal', days: 3 },
  after_cancellation: { type: 'after_cancellation', days: 14 },
  skipped_cycles: { type: 'skipped_cycles', count: 2 },
  low_satisfaction: { type: 'low_satisfaction', maxScore: 2 },
  nps_detractor: { type: 'nps_detractor' },
};

function newStep(type: JourneyStepType, id: string): JourneyStep {
  switch (type) {
    case 'email':
      return { id, type, subject: '', body: "Hi {{ customer.first_name | default: 'there' }},\n\n", marketing: true };
    case 'wait':
      return { id, type, wait: { mode: 'duration', days: 7, hours: 0, minutes: 0 } };
    case 'branch':
      return { id, type, condition: { field: 'subscription_status', op: 'eq', value: 'active' }, ifTrue: 'next', ifFalse: 'end' };
    case 'task':
      return { id, type, title: 'Call {{ customer.name }}', body: '', assigneeId: null };
    case 'tag':
      return { id, type, tag: 'care' };
    case 'nps_survey':
      return { id, type };
  }
}

function draftOf(journey: JourneyDto | null): Draft {
  if (!journey) {
    return { name: '', description: '', trigger: TRIGGER_DEFAULTS.subscription_day, steps: [newStep('email', 'email_1')], exitGoals: [], mailboxId: null, fromName: null, sendWhileTicketOpen: false, ownerId: null, holdoutPercent: 0 };
  }
  const { name, description, trigger, steps, exitGoals, mailboxId, fromName, sendWhileTicketOpen, ownerId, holdoutPercent } = journey;
  return { name, description, trigger, steps, exitGoals, mailboxId, fromName, sendWhileTicketOpen, ownerId, holdoutPercent };
}

/** Opens a journey to edit (or a new one when the id is `new`). */
export function JourneyEditorPage({ journeyId }: { journeyId: string }) {
  if (journeyId === 'new') return <JourneyEditor journey={null} />;
  return <ExistingJourney journeyId={journeyId} />;
}

function ExistingJourney({ journeyId }: { journeyId: string }) {
  const journey = useJourney(journeyId);
  if (journey.isError) return <ErrorNotice error={journey.error} onRetry={() => void journey.refetch()} />;
  if (!journey.data) return <p className="muted">Loading the journey…</p>;
  return <JourneyEditor key={journey.data.updatedAt} journey={journey.data} />;
}

/** The care owner's journey editor: trigger, steps, exit goals, switching on and off, test sends and figures. */
function JourneyEditor({ journey }: { journey: JourneyDto | null }) {
  const [draft, setDraft] = useState(() => draftOf(journey));
  const [codeView, setCodeView] = useState(false);
  const users = useUsers();
  const mailboxes = useMailboxOptions().data ?? [];
  const save = useJourneyChange((value: Draft) => (journey ? updateJourney(journey.id, value) : createJourney(value)));
  const remove = useJourneyChange(deleteJourney);
  const test = useJourneyChange((stepId: string) => testSend(journey?.id ?? '', { stepId }));
  const figures = new Map((journey?.figures.steps ?? []).map((step) => [step.stepId, step]));
  const error = save.error ?? remove.error;

  const setStep = (index: number, step: JourneyStep) => setDraft({ ...draft, steps: draft.steps.map((current, at) => (at === index ? step : current)) });
  const moveStep = (index: number, by: -1 | 1) => {
    const steps = [...draft.steps];
    [steps[index], steps[index + by]] = [steps[index + by], steps[index]];
    setDraft({ ...draft, steps });
  };
  const addStep = (type: JourneyStepType) => {
    let n = draft.steps.length + 1;
    while (draft.steps.some((step) => step.id === `${type}_${n}`)) n++;
    setDraft({ ...draft, steps: [...draft.steps, newStep(type, `${type}_${n}`)] });
  };

  return (
    <form
      className="journey-editor"
      data-testid="journey-editor"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, { onSuccess: (saved) => navigate({ page: 'journey', journeyId: saved.id }, { replace: true }) });
      }}
    >
      <a className="back-link" href={routeHref({ page: 'journeys' })}>
        ← Journeys
      </a>
      <div className="journeys__heading">
        <h1>{journey ? journey.name : 'New journey'}</h1>
        {journey && <JourneyStatusToggle journey={journey} />}
      </div>
      {journey && (
        <p className="muted">
          {journey.figures.entered} entered · {journey.figures.active} in it now · {journey.figures.goalReached} reached a goal · {journey.figures.emailsSent} emails sent · {journey.figures.replies} replies ·{' '}
          {journey.figures.unsubscribed} unsubscribed
        </p>
      )}

      <label className="field">
        <span className="field__label">Name</span>
        <input value={draft.name} onChange={(event) => setDraft({ ...draft, name: event.target.value })} required />
      </label>
      <label className="field">
        <span className="field__label">What it is for</span>
        <input value={draft.description} onChange={(event) => setDraft({ ...draft, description: event.target.value })} />
      </label>

      <fieldset>
        <legend>Starts when</legend>
        <select aria-label="Trigger" value={draft.trigger.type} onChange={(event) => setDraft({ ...draft, trigger: TRIGGER_DEFAULTS[event.target.value as JourneyTriggerType] })}>
          {Object.entries(TRIGGER_LABELS).map(([type, label]) => (
            <option key={type} value={type}>
              {label}
            </option>
          ))}
        </select>{' '}
        <TriggerParameter trigger={draft.trigger} onChange={(trigger) => setDraft({ ...draft, trigger })} />
        <p className="muted">{describeTrigger(draft.trigger)}</p>
      </fieldset>

      <fieldset>
        <legend>Steps</legend>
        <div className="journey-editor__view" role="radiogroup" aria-label="Show templates as">
          <label>
            <input type="radio" name="template-view" checked={!codeView} onChange={() => setCodeView(false)} /> Readable fields
          </label>
          <label>
            <input type="radio" name="template-view" checked={codeView} onChange={() => setCodeView(true)} /> Template code
          </label>
        </div>
        <ol className="journey-editor__steps">
          {draft.steps.map((step, index) => {
            const figure = figures.get(step.id);
            return (
              <li key={step.id} className="journey-editor__step">
                <div className="journey-editor__step-head">
                  <strong>{step.id}</strong> <span className="muted">{describeStep(step)}</span>
                  {figure && (
                    <span className="journey-editor__figure">
                      {figure.done} done{figure.skipped ? `, ${figure.skipped} skipped` : ''}
                    </span>
                  )}
                  <span className="journey-editor__step-actions">
                    {step.type === 'email' && journey && (
                      <button type="button" className="button button--small" disabled={test.isPending} onClick={() => test.mutate(step.id)}>
                        Send me a test
                      </button>
                    )}
                    <button type="button" aria-label={`Move ${step.id} up`} disabled={index === 0} onClick={() => moveStep(index, -1)}>
                      ↑
                    </button>
                    <button type="button" aria-label={`Move ${step.id} down`} disabled={index === draft.steps.length - 1} onClick={() => moveStep(index, 1)}>
                      ↓
                    </button>
                    <button type="button" aria-label={`Remove ${step.id}`} disabled={draft.steps.length === 1} onClick={() => setDraft({ ...draft, steps: draft.steps.filter((_, at) => at !== index) })}>
                      ×
                    </button>
                  </span>
                </div>
                <StepEditor codeView={codeView} step={step} later={draft.steps.slice(index + 1).map((next) => next.id)} onChange={(changed) => setStep(index, changed)} />
              </li>
            );
          })}
        </ol>
        <span className="journey-editor__add">
          Add:
          {(['email', 'wait', 'branch', 'task', 'tag', 'nps_survey'] as const).map((type) => (
            <button key={type} type="button" className="button button--small" onClick={() => addStep(type)}>
              {STEP_TYPE_LABELS[type]}
            </button>
          ))}
        </span>
        {test.isSuccess && <p className="muted">Test sent to {test.data.sentTo}: “{test.data.subject}”.</p>}
        {test.isError && <p className="form-error">{errorMessage(test.error)}</p>}
      </fieldset>

      <fieldset>
        <legend>Ends early when</legend>
        {EXIT_GOALS.map((goal) => (
          <label key={goal} className="journey-editor__goal">
            <input
              type="checkbox"
              checked={draft.exitGoals.includes(goal)}
              onChange={(event) => setDraft({ ...draft, exitGoals: event.target.checked ? [...draft.exitGoals, goal] : draft.exitGoals.filter((chosen) => chosen !== goal) })}
            />
            {GOAL_LABELS[goal]}
          </label>
        ))}
      </fieldset>

      <fieldset>
        <legend>Sending</legend>
        <label className="field">
          <span className="field__label">From mailbox</span>
          <select data-testid="journey-mailbox" value={draft.mailboxId ?? ''} onChange={(event) => setDraft({ ...draft, mailboxId: event.target.value || null })}>
            <option value="">The first active mailbox</option>
            {mailboxes.map((mailbox) => (
              <option key={mailbox.id} value={mailbox.id}>
                {mailbox.name} &lt;{mailbox.address}&gt;{mailbox.isActive ? '' : ' (inactive)'}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">From name (the mailbox’s name when empty)</span>
          <input value={draft.fromName ?? ''} onChange={(event) => setDraft({ ...draft, fromName: event.target.value || null })} />
        </label>
        <label>
          <input type="checkbox" checked={draft.sendWhileTicketOpen} onChange={(event) => setDraft({ ...draft, sendWhileTicketOpen: event.target.checked })} /> Send marketing-like steps even while the
          customer has an open ticket
        </label>
        <label className="field">
          <span className="field__label">Hold out, to measure its effect (% of customers who enter but get no steps)</span>
          <input
            type="number"
            min={0}
            max={50}
            value={draft.holdoutPercent}
            onChange={(event) => setDraft({ ...draft, holdoutPercent: Math.max(0, Math.min(50, Math.round(Number(event.target.value) || 0))) })}
          />
        </label>
        <label className="field">
          <span className="field__label">Tasks go to</span>
          <select value={draft.ownerId ?? ''} onChange={(event) => setDraft({ ...draft, ownerId: event.target.value || null })}>
            <option value="">nobody in particular</option>
            {(users.data ?? [])
              .filter((user) => user.isActive && ['care_owner', 'admin', 'lead'].includes(user.role))
              .map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
          </select>
        </label>
      </fieldset>

      <div className="journey-editor__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          {journey ? 'Save changes' : 'Create journey'}
        </button>
        {journey && (
          <button
            type="button"
            className="button button--danger"
            disabled={remove.isPending}
            onClick={() => {
              if (window.confirm(`Delete “${journey.name}” and its history?`)) remove.mutate(journey.id, { onSuccess: () => navigate({ page: 'journeys' }) });
            }}
          >
            Delete
          </button>
        )}
      </div>
      {error && <p className="form-error">{errorMessage(error)}</p>}
    </form>
  );
}

function TriggerParameter({ trigger, onChange }: { trigger: JourneyTrigger; onChange: (trigger: JourneyTrigger) => void }) {
  const number = (value: string) => Math.max(0, Math.round(Number(value) || 0));
  switch (trigger.type) {
    case 'first_cycle_ticket':
    case 'nps_detractor':
      return null;
    case 'ticket_tagged':
      return <input aria-label="Tag" value={trigger.tag} onChange={(event) => onChange({ ...trigger, tag: event.target.value })} />;
    case 'subscription_day':
    case 'before_renewal':
    case 'after_cancellation':
      return <input type="number" aria-label="Days" min={0} value={trigger.days} onChange={(event) => onChange({ ...trigger, days: number(event.target.value) })} />;
    case 'skipped_cycles':
      return <input type="number" aria-label="Cycles" min={1} value={trigger.count} onChange={(event) => onChange({ ...trigger, count: number(event.target.value) })} />;
    case 'low_satisfaction':
      return <input type="number" aria-label="Score at most" min={1} max={5} value={trigger.maxScore} onChange={(event) => onChange({ ...trigger, maxScore: number(event.target.value) })} />;
  }
}
