import { useId, useState, type FormEvent } from 'react';
import { useTagColors, useTags } from '../../workspace/hooks/useWorkspace';
import { TagChip } from './TicketBadges';

export function TagEditor({ tags, onChange }: { tags: string[]; onChange: (tags: string[]) => void }) {
  const [draft, setDraft] = useState('');
  const { data: knownTags = [] } = useTags();
  const tagColors = useTagColors();
  const suggestionsId = useId();

  const addTag = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Tag names are stored lower-case by the server; match that so duplicates are caught here.
    const name = draft.trim().toLowerCase();
    setDraft('');
    if (name && !tags.includes(name)) onChange([...tags, name]);
  };

  return (
    <div className="property property--tags">
      <span className="property__label">Tags</span>
      <div className="tag-editor">
        {tags.map((tag) => (
          <TagChip key={tag} name={tag} color={tagColors.get(tag)} onRemove={() => onChange(tags.filter((other) => other !== tag))} />
        ))}
        <form className="tag-editor__add" onSubmit={addTag}>
          <input
            list={suggestionsId}
            placeholder="Add tag"
            aria-label="Add tag"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
            data-testid="tag-input"
          />
          <datalist id={suggestionsId}>
            {knownTags
              .filter((tag) => !tags.includes(tag.name))
              .map((tag) => (
                <option key={tag.id} value={tag.name} />
              ))}
          </datalist>
        </form>
      </div>
    </div>
  );
}
