import { useState } from 'react';
import type { TagDto } from '../../../../../contracts/api';
import type { TagSettingsDto } from '../../../../../contracts/care';
import { errorMessage } from '../../../api/client';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useTags } from '../../workspace/hooks/useWorkspace';
import { useMergeTag, useTagSettings, useUpdateTag, useUpdateTagSettings } from '../hooks/useTagInsights';

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

function SettingsForm({ settings }: { settings: TagSettingsDto }) {
  const update = useUpdateTagSettings();
  const numberField = (key: Exclude<keyof TagSettingsDto, 'requireTagToSolve'>, label: string, step = 1) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input type="number" step={step} defaultValue={settings[key]} onBlur={(event) => Number(event.target.value) !== settings[key] && update.mutate({ [key]: Number(event.target.value) })} />
    </label>
  );
  return (
    <section className="sla-form" aria-labelledby="tag-settings-title">
      <h2 id="tag-settings-title">Settings</h2>
      <label>
        <input type="checkbox" checked={settings.requireTagToSolve} onChange={(event) => update.mutate({ requireTagToSolve: event.target.checked })} /> A ticket needs at
        least one tag to be solved
      </label>
      {numberField('risingMinRatio', 'Rising: this week at least × the baseline week', 0.1)}
      {numberField('risingMaxPValue', 'Rising: at most this chance of being noise (p-value)', 0.001)}
      {numberField('recurringWeeklyMin', 'Recurring: at least this many tickets a week …')}
      {numberField('recurringWeeks', '… for this many weeks in a row')}
      {numberField('retrainAfterTaggings', 'Retrain suggestions after this many new taggings')}
      {update.isError && <p className="form-error">{errorMessage(update.error)}</p>}
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
      {settings.data && <SettingsForm settings={settings.data} />}
    </div>
  );
}
