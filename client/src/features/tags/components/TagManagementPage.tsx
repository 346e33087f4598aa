import { useState } from 'react';
import type { TagDto } from '../../../../../contracts/api';
import { describeSignalThresholds, RISING_CERTAINTY_CHOICES, SIGNAL_BASELINE_WEEKS, SIGNAL_MIN_TICKETS, type TagSettingsDto, type UpdateTagSettingsRequest } from '../../../../../contracts/care';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useTags } from '../../workspace/hooks/useWorkspace';
import '../tags.css';
import { useMergeTag, useRetrainTagModel, useTagModel, useTagSettings, useUpdateTag, useUpdateTagSettings } from '../hooks/useTagInsights';

function TagRow({ tag, others }: { tag: TagDto; others: TagDto[] }) {
  const update = useUpdateTag();
  const merge = useMergeTag();
  const [name, setName] = useState(tag.name);
  const [description, setDescription] = useState(tag.description ?? '');
  const [mergeInto, setMergeInto] = useState('');
  const save = () => update.mutate({ id: tag.id, name, description: description || null });
  const error = update.error ?? merge.error;
  return (
    <tr data-testid="tag-row">
      <td>
        <input aria-label={`Name of ${tag.name}`} value={name} onChange={(event) => setName(event.target.value)} onBlur={() => name !== tag.name && save()} />
      </td>
      <td>
        <input aria-label={`Description of ${tag.name}`} value={description} onChange={(event) => setDescription(event.target.value)} onBlur={() => description !== (tag.description ?? '') && save()} />
      </td>
      <td>
        <input type="color" aria-label={`Colour of ${tag.name}`} value={tag.color ?? '#8993a4'} onChange={(event) => update.mutate({ id: tag.id, color: event.target.value })} />
      </td>
      <td className="tag-table__merge">
        <select aria-label={`Merge ${tag.name} into`} value={mergeInto} onChange={(event) => setMergeInto(event.target.value)}>
          <option value="">Merge into…</option>
          {others.map((other) => (
            <option key={other.id} value={other.id}>
              {other.name}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button--small button--danger"
          disabled={!mergeInto || merge.isPending}
          onClick={() => {
            const target = others.find((other) => other.id === mergeInto);
            if (target && window.confirm(`Retag every "${tag.name}" ticket as "${target.name}" and delete "${tag.name}"?`)) merge.mutate({ id: tag.id, intoTagId: target.id });
          }}
        >
          Merge
        </button>
        {error && <p className="form-error">{errorMessage(error)}</p>}
      </td>
    </tr>
  );
}

const wholeOr = (value: string, fallback: number) => (value.trim() !== '' && Number.isFinite(Number(value)) ? Math.round(Number(value)) : fallback);

/** A whole number saved when the field is left, if it changed. */
function WholeNumber({ label, min, value, onSave }: { label?: string; min: number; value: number; onSave: (value: number) => void }) {
  return (
    <input
      key={value}
      type="number"
      min={min}
      aria-label={label}
      defaultValue={value}
      onBlur={(event) => {
        const next = Math.max(min, wholeOr(event.target.value, value));
        if (next !== value) onSave(next);
      }}
    />
  );
}

function SettingsForm({ settings }: { settings: TagSettingsDto }) {
  const update = useUpdateTagSettings();
  const words = describeSignalThresholds(settings);
  const save = (patch: UpdateTagSettingsRequest) => update.mutate(patch);
  const certainty = RISING_CERTAINTY_CHOICES.some((choice) => choice.pValue === settings.risingMaxPValue)
    ? RISING_CERTAINTY_CHOICES
    : [...RISING_CERTAINTY_CHOICES, { pValue: settings.risingMaxPValue, label: `As set: 1 week in ${Math.round(1 / settings.risingMaxPValue).toLocaleString()}` }];
  return (
    <section className="sla-form" aria-labelledby="tag-settings-title">
      <h2 id="tag-settings-title">Settings</h2>
      <label>
        <input type="checkbox" checked={settings.requireTagToSolve} onChange={(event) => save({ requireTagToSolve: event.target.checked })} /> A ticket needs at least one
        tag to be solved
      </label>
      <fieldset className="signal-thresholds">
        <legend>When is a tag rising?</legend>
        <label className="signal-thresholds__row">
          Up at least
          <input
            key={`rise:${settings.risingMinRatio}`}
            type="number"
            min={0}
            step={10}
            aria-label="Rise on the average week, in percent"
            defaultValue={Math.round((settings.risingMinRatio - 1) * 100)}
            onBlur={(event) => {
              const ratio = 1 + wholeOr(event.target.value, Math.round((settings.risingMinRatio - 1) * 100)) / 100;
              if (ratio !== settings.risingMinRatio) save({ risingMinRatio: ratio });
            }}
          />
          % on the average week of the last {SIGNAL_BASELINE_WEEKS} weeks, with at least {SIGNAL_MIN_TICKETS} tickets this week
        </label>
        <label className="field">
          <span className="field__label">How sure before calling it rising</span>
          <select value={settings.risingMaxPValue} onChange={(event) => save({ risingMaxPValue: Number(event.target.value) })}>
            {certainty.map((choice) => (
              <option key={choice.pValue} value={choice.pValue}>
                {choice.label}
              </option>
            ))}
          </select>
        </label>
      </fieldset>
      <fieldset className="signal-thresholds">
        <legend>When is a tag recurring?</legend>
        <label className="signal-thresholds__row">
          At least
          <WholeNumber label="Tickets a week" min={1} value={settings.recurringWeeklyMin} onSave={(recurringWeeklyMin) => save({ recurringWeeklyMin })} />
          tickets a week for
          <WholeNumber label="Weeks in a row" min={2} value={settings.recurringWeeks} onSave={(recurringWeeks) => save({ recurringWeeks })} />
          weeks in a row
        </label>
      </fieldset>
      <p className="muted" data-testid="threshold-words">
        {words.rising} {words.recurring}
      </p>
      <label className="field">
        <span className="field__label">Retrain suggestions after this many new taggings</span>
        <WholeNumber min={1} value={settings.retrainAfterTaggings} onSave={(retrainAfterTaggings) => save({ retrainAfterTaggings })} />
      </label>
      {update.isError && <p className="form-error">{errorMessage(update.error)}</p>}
    </section>
  );
}

const share = (value: number) => `${Math.round(value * 100)}%`;

/** The suggestion model: when it last trained, how good it is on the team's own tickets, and a way to retrain it now. */
function SuggestionModel() {
  const [waitingSince, setWaitingSince] = useState<string | null | undefined>(undefined);
  const model = useTagModel(waitingSince);
  const retrain = useRetrainTagModel();
  const data = model.data;
  const training = waitingSince !== undefined && data?.trainedAt === waitingSince;
  return (
    <section className="sla-form" aria-labelledby="tag-model-title" data-testid="tag-model">
      <h2 id="tag-model-title">Tag suggestions</h2>
      {model.isError && <ErrorNotice error={model.error} onRetry={() => void model.refetch()} />}
      {data && (
        <>
          <p>
            {data.trainedAt
              ? `Last trained ${new Date(data.trainedAt).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' })} on ${data.examples.toLocaleString()} tickets, ${data.tags} tags; ${data.taggingsSinceTraining.toLocaleString()} taggings since.`
              : 'Not trained yet: it learns from tickets your team has tagged.'}
          </p>
          {data.quality ? (
            <p data-testid="tag-model-quality">
              On {data.quality.tickets.toLocaleString()} of your own tickets it had not seen (cross-validation): it decides right {share(data.quality.accuracy)} of the time
              {data.quality.precision !== null && <>, its top suggestion is right {share(data.quality.precision)} of the time it makes one</>}, and it suggests nothing for{' '}
              {share(data.quality.abstainRate)} (it keeps quiet rather than guess).
            </p>
          ) : (
            data.trainedAt && <p className="muted">Its accuracy is measured at the next training.</p>
          )}
        </>
      )}
      <div>
        <button
          type="button"
          className="button"
          disabled={retrain.isPending || training}
          onClick={() =>
            retrain.mutate(undefined, {
              onSuccess: () => {
                setWaitingSince(data?.trainedAt ?? null);
                void model.refetch();
              },
            })
          }
        >
          {training ? 'Training…' : 'Retrain now'}
        </button>
        {training && <span className="muted"> Training runs in the background; the page stays usable.</span>}
        {retrain.isError && <p className="form-error">{errorMessage(retrain.error)}</p>}
      </div>
    </section>
  );
}

/** Tag management for leads and care owners: rename, describe, colour, merge, and the tag settings. */
export function TagManagementPage() {
  const tags = useTags();
  const settings = useTagSettings();
  return (
    <div className="page">
      <h1>Tags</h1>
      {tags.isError && <ErrorNotice error={tags.error} onRetry={() => void tags.refetch()} />}
      <table className="tag-table">
        <thead>
          <tr>
            <th>Name</th>
            <th>Description</th>
            <th>Colour</th>
            <th>Merge</th>
          </tr>
        </thead>
        <tbody>
          {tags.data?.map((tag) => (
            <TagRow key={`${tag.id}:${tag.name}`} tag={tag} others={tags.data.filter((other) => other.id !== tag.id)} />
          ))}
        </tbody>
      </table>
      <SuggestionModel />
      {settings.data && <SettingsForm settings={settings.data} />}
    </div>
  );
}
