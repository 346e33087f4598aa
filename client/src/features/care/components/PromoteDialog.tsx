import { useState, type FormEvent } from 'react';
import type { SignalDto } from '../../../../../contracts/care';
import { errorMessage } from '../../../api/client';
import { useUsers } from '../../workspace/hooks/useWorkspace';
import { useCreateInitiative } from '../hooks/useCare';

/** Turns a signal into an initiative: what it is, who owns it, why it should work and how to tell. */
export function PromoteDialog({ signal, onClose }: { signal: SignalDto; onClose: () => void }) {
  const create = useCreateInitiative();
  const { data: users = [] } = useUsers();
  const [title, setTitle] = useState(signal.kind === 'tag' ? `Reduce “${signal.label}” tickets` : `Fix: ${signal.label}`);
  const [ownerId, setOwnerId] = useState('');
  const [hypothesis, setHypothesis] = useState('');
  const [tags, setTags] = useState(signal.kind === 'tag' ? signal.label : '');
  const [query, setQuery] = useState('');
  const [targetMetric, setTargetMetric] = useState('Tickets per 100 subscribers, −50% within 4 weeks of shipping');

  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.mutate(
      {
        title,
        ownerId: ownerId || null,
        hypothesis,
        tags: tags
          .split(',')
          .map((tag) => tag.trim().toLowerCase())
          .filter(Boolean),
        clusterId: signal.clusterId,
        query: query.trim() || null,
        targetMetric,
        signalKey: signal.key,
      },
      { onSuccess: onClose },
    );
  };

  return (
    <div className="care-dialog" role="dialog" aria-modal="true" aria-labelledby="promote-title">
      <form className="care-dialog__body sla-form" onSubmit={submit}>
        <h2 id="promote-title">Promote to an initiative</h2>
        <label className="field">
          <span className="field__label">Title</span>
          <input value={title} onChange={(event) => setTitle(event.target.value)} required maxLength={200} />
        </label>
        <label className="field">
          <span className="field__label">Owner</span>
          <select value={ownerId} onChange={(event) => setOwnerId(event.target.value)}>
            <option value="">Nobody yet</option>
            {users
              .filter((user) => user.isActive)
              .map((user) => (
                <option key={user.id} value={user.id}>
                  {user.name}
                </option>
              ))}
          </select>
        </label>
        <label className="field">
          <span className="field__label">Hypothesis</span>
          <textarea value={hypothesis} onChange={(event) => setHypothesis(event.target.value)} rows={3} placeholder="We believe … because …" />
        </label>
        <label className="field">
          <span className="field__label">Tags that define its tickets (comma-separated)</span>
          <input value={tags} onChange={(event) => setTags(event.target.value)} />
        </label>
        {signal.kind === 'cluster' && <p className="muted">Tickets of this cluster of similar untagged tickets belong to it too.</p>}
        <label className="field">
          <span className="field__label">Text query (optional, narrows the tickets)</span>
          <input value={query} onChange={(event) => setQuery(event.target.value)} placeholder="e.g. checkout timeout" />
        </label>
        <label className="field">
          <span className="field__label">Target metric</span>
          <input value={targetMetric} onChange={(event) => setTargetMetric(event.target.value)} maxLength={500} />
        </label>
        {create.isError && <p className="form-error">{errorMessage(create.error)}</p>}
        <div className="sla-form__actions">
          <button type="button" className="button button--quiet" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button--primary" disabled={create.isPending}>
            Create initiative
          </button>
        </div>
      </form>
    </div>
  );
}
