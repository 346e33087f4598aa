import { errorMessage } from '../../../api/client';
import { useDecideSuggestion, useTagSuggestions } from '../hooks/useTagInsights';
import '../tags.css';

/** Pending tag suggestions for a ticket, each with its confidence and one-click accept or reject. */
export function TagSuggestions({ ticketId }: { ticketId: string }) {
  const suggestions = useTagSuggestions(ticketId);
  const decide = useDecideSuggestion(ticketId);
  const pending = (suggestions.data ?? []).filter((suggestion) => suggestion.state === 'pending');
  if (pending.length === 0) return null;
  return (
    <div className="property tag-suggestions" data-testid="tag-suggestions">
      <span className="property__label">Suggested</span>
      <ul className="tag-suggestions__list">
        {pending.map((suggestion) => (
          <li key={suggestion.tagId} className="tag-suggestions__item">
            <span className="tag" style={suggestion.color ? { borderColor: suggestion.color } : undefined}>
              {suggestion.tag}
            </span>
            <span className="muted" title={suggestion.source === 'rule' ? 'From a keyword rule' : 'Learned from how this team tags'}>
              {Math.round(suggestion.confidence * 100)}%
            </span>
            <button type="button" className="button button--small" disabled={decide.isPending} onClick={() => decide.mutate({ tagId: suggestion.tagId, decision: 'accept' })} aria-label={`Add tag ${suggestion.tag}`}>
              ✓
            </button>
            <button type="button" className="button button--small button--quiet" disabled={decide.isPending} onClick={() => decide.mutate({ tagId: suggestion.tagId, decision: 'reject' })} aria-label={`Dismiss tag ${suggestion.tag}`}>
              ✕
            </button>
          </li>
        ))}
      </ul>
      {decide.isError && <p className="form-error">{errorMessage(decide.error)}</p>}
    </div>
  );
}
