import { useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import type { CareSettingsDto, JourneyDto, JourneyPresetDto } from '../../../../../contracts/journeys';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { routeHref } from '../../../routes';
import { createFromPreset, fetchPresetReview, journeyKeys, updateCareSettings } from '../api/journeys.api';
import { useCareSettings, useJourneyChange, useJourneys, usePresets } from '../hooks/useJourneys';
import { describeTrigger } from '../journeyLabels';
import { JourneyStatusToggle } from './JourneyStatusToggle';
import '../../care/care.css';

/** The care owner's journeys: what runs with its figures, presets ready to switch on, and the rules every care email keeps. */
export function JourneysPage() {
  const journeys = useJourneys();
  const presets = usePresets();
  const [reviewing, setReviewing] = useState<JourneyPresetDto | null>(null);

  if (journeys.isError || presets.isError) return <ErrorNotice error={journeys.error ?? presets.error} onRetry={() => void Promise.all([journeys.refetch(), presets.refetch()])} />;
  if (!journeys.data || !presets.data) return <p className="muted">Loading journeys…</p>;

  return (
    <div className="journeys" data-testid="journeys-page">
      <section aria-labelledby="journeys-title">
        <div className="journeys__heading">
          <h1 id="journeys-title">Journeys</h1>
          <a className="button" href={routeHref({ page: 'journey', journeyId: 'new' })}>
            New journey
          </a>
        </div>
        {journeys.data.length === 0 ? <p className="muted">No journeys yet: switch on a preset below, or start a new one.</p> : <JourneyTable journeys={journeys.data} />}
      </section>

      <section aria-labelledby="presets-title">
        <h2 id="presets-title">Presets</h2>
        <ul className="journeys__presets">
          {presets.data.map((preset) => (
            <li key={preset.key} className="journeys__preset">
              <strong>{preset.name}</strong>
              <span className="muted">{preset.description}</span>
              {preset.journeyId ? (
                <a className="button" href={routeHref({ page: 'journey', journeyId: preset.journeyId })}>
                  Open
                </a>
              ) : (
                <button type="button" className="button button--primary" onClick={() => setReviewing(preset)} data-testid="journey-preset-switch-on">
                  Switch on…
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      {reviewing && <PresetReview preset={reviewing} onClose={() => setReviewing(null)} />}

      <CareSettingsForm />
    </div>
  );
}

/** Before a preset goes live: who it would have taken in over the last 30 days, and its emails as one of them gets them. */
function PresetReview({ preset, onClose }: { preset: JourneyPresetDto; onClose: () => void }) {
  const review = useQuery({ queryKey: journeyKeys.review(preset.key), queryFn: () => fetchPresetReview(preset.key) });
  const switchOn = useJourneyChange(() => createFromPreset(preset.key, { activate: true }));
  const data = review.data;
  return (
    <div className="care-dialog" role="dialog" aria-modal="true" aria-label={`Review ${preset.name}`} onClick={onClose}>
      <div className="care-dialog__body journey-review" onClick={(event) => event.stopPropagation()} data-testid="preset-review">
        <h2>Switch on “{preset.name}”?</h2>
        <p className="muted">Starts when: {describeTrigger(preset.trigger)}.</p>
        {review.isPending && <p className="muted">Looking at your customers…</p>}
        {review.isError && <ErrorNotice error={review.error} onRetry={() => void review.refetch()} />}
        {data && (
          <>
            <p data-testid="review-count">
              {data.customers === 0
                ? 'Nobody would have entered it in the last 30 days.'
                : `${data.customers.toLocaleString()} customer${data.customers === 1 ? '' : 's'} would have entered it in the last 30 days${data.sample.length ? ', for example:' : '.'}`}
            </p>
            {data.sample.length > 0 && (
              <ul className="journey-review__sample">
                {data.sample.map((customer) => (
                  <li key={customer.customerId}>
                    <a href={routeHref({ page: 'customer', customerId: customer.customerId })}>{customer.name ?? customer.email}</a>
                    {customer.name && <span className="muted"> {customer.email}</span>}
                  </li>
                ))}
              </ul>
            )}
            {data.emails.map((email) => (
              <article key={email.stepId} className="journey-review__email" data-testid="review-email">
                <p className="muted">Email to {data.previewFor}</p>
                <strong>{email.subject}</strong>
                <pre>{email.body}</pre>
              </article>
            ))}
            {data.otherSteps.length > 0 && (
              <ul className="journey-review__steps">
                {data.otherSteps.map((step) => (
                  <li key={step}>{step}</li>
                ))}
              </ul>
            )}
          </>
        )}
        <div className="journey-review__actions">
          <button type="button" className="button" onClick={onClose}>
            Not now
          </button>
          <button type="button" className="button button--primary" disabled={!data || switchOn.isPending} onClick={() => switchOn.mutate(undefined, { onSuccess: onClose })}>
            Switch it on
          </button>
        </div>
        {switchOn.isError && <p className="form-error">{errorMessage(switchOn.error)}</p>}
      </div>
    </div>
  );
}

function JourneyTable({ journeys }: { journeys: JourneyDto[] }) {
  return (
    <table className="journeys__table">
      <thead>
        <tr>
          <th>Journey</th>
          <th>Starts when</th>
          <th>Entered</th>
          <th>In it now</th>
          <th>Goal reached</th>
          <th>Emails</th>
          <th>Replies</th>
          <th>Unsubscribed</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody>
        {journeys.map((journey) => (
          <tr key={journey.id}>
            <td>
              <a href={routeHref({ page: 'journey', journeyId: journey.id })}>{journey.name}</a>
            </td>
            <td>{describeTrigger(journey.trigger)}</td>
            <td>{journey.figures.entered}</td>
            <td>{journey.figures.active}</td>
            <td>{journey.figures.goalReached}</td>
            <td>{journey.figures.emailsSent}</td>
            <td>{journey.figures.replies}</td>
            <td>{journey.figures.unsubscribed}</td>
            <td>
              <JourneyStatusToggle journey={journey} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function CareSettingsForm() {
  const settings = useCareSettings();
  if (!settings.data) return null;
  return <CareSettingsFields key={JSON.stringify(settings.data)} settings={settings.data} />;
}

function CareSettingsFields({ settings }: { settings: CareSettingsDto }) {
  const [draft, setDraft] = useState(settings);
  const save = useJourneyChange(updateCareSettings);
  const hour = (value: string) => (value === '' ? null : Number(value));
  return (
    <section aria-labelledby="care-settings-title">
      <h2 id="care-settings-title">Every care email</h2>
      <form
        className="journeys__settings"
        onSubmit={(event) => {
          event.preventDefault();
          save.mutate(draft);
        }}
      >
        <label className="field">
          <span className="field__label">At most this many care emails per customer in 7 days</span>
          <input type="number" min={1} max={50} value={draft.weeklyEmailCap} onChange={(event) => setDraft({ ...draft, weeklyEmailCap: Number(event.target.value) })} />
        </label>
        <fieldset className="journeys__quiet">
          <legend>Quiet hours in the customer’s time zone (empty: none)</legend>
          <input type="number" aria-label="Quiet from (hour)" min={0} max={23} value={draft.quietHoursStart ?? ''} onChange={(event) => setDraft({ ...draft, quietHoursStart: hour(event.target.value) })} />
          –
          <input type="number" aria-label="Quiet until (hour)" min={0} max={23} value={draft.quietHoursEnd ?? ''} onChange={(event) => setDraft({ ...draft, quietHoursEnd: hour(event.target.value) })} />
        </fieldset>
        <label className="field">
          <span className="field__label">Time zone for customers without one</span>
          <input value={draft.defaultTimeZone} onChange={(event) => setDraft({ ...draft, defaultTimeZone: event.target.value })} />
        </label>
        <label className="field">
          <span className="field__label">Subscription page on the shop (skip and adjust links)</span>
          <input type="url" value={draft.manageSubscriptionUrl ?? ''} onChange={(event) => setDraft({ ...draft, manageSubscriptionUrl: event.target.value || null })} />
        </label>
        <button type="submit" className="button button--primary" disabled={save.isPending}>
          Save
        </button>
        {save.isError && <p className="form-error">{errorMessage(save.error)}</p>}
        {save.isSuccess && <p className="muted">Saved.</p>}
      </form>
    </section>
  );
}
