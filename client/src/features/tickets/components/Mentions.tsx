import { Fragment, useLayoutEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { useUsers } from '../../workspace/hooks/useWorkspace';

/** `@` and what follows it up to the caret, when the caret is in a mention being typed. */
const TYPING_MENTION = /(^|\s)@([^\s@]{0,30})$/;
const MAX_SUGGESTIONS = 6;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mentionPattern = (name: string) => new RegExp(`(^|\\s)@${escapeRegExp(name)}(?![\\p{L}\\p{N}])`, 'u');

/** The people a note mentions: those whose `@Full Name` it contains. */
export function mentionedIds(text: string, people: UserDto[]): string[] {
  return people.filter((person) => person.isActive && person.name && mentionPattern(person.name).test(text)).map((person) => person.id);
}

/**
 * Mention autocomplete for the note composer: typing `@` and a few letters offers matching colleagues;
 * arrows choose, Enter or Tab (or a click) puts `@Full Name` in the text.
 */
export function useMentionAutocomplete({ enabled, body, textArea, onChange }: { enabled: boolean; body: string; textArea: RefObject<HTMLTextAreaElement | null>; onChange: (text: string) => void }) {
  const { data: users = [] } = useUsers();
  const people = users.filter((user) => user.isActive && user.status !== 'invited');
  const [caret, setCaret] = useState<number | null>(null);
  const [highlighted, setHighlighted] = useState(0);
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  // Where the caret goes once the chosen name is in the textarea: set in the same commit as the new
  // text (not a frame later), so a key typed straight after choosing lands after the name.
  const caretAfterChoice = useRef<number | null>(null);
  useLayoutEffect(() => {
    const position = caretAfterChoice.current;
    if (position === null || !textArea.current) return;
    caretAfterChoice.current = null;
    textArea.current.focus();
    textArea.current.setSelectionRange(position, position);
  });

  const before = caret === null ? '' : body.slice(0, caret);
  const typing = enabled && caret !== null && caret !== dismissedAt ? TYPING_MENTION.exec(before) : null;
  const query = typing?.[2].toLowerCase() ?? '';
  const suggestions = typing
    ? people.filter((person) => person.name.toLowerCase().split(/\s+/).some((part) => part.startsWith(query)) || person.name.toLowerCase().startsWith(query)).slice(0, MAX_SUGGESTIONS)
    : [];
  const active = Math.min(highlighted, Math.max(0, suggestions.length - 1));

  const choose = (person: UserDto) => {
    if (caret === null || !typing) return;
    const start = caret - typing[2].length - 1;
    const next = `${body.slice(0, start)}@${person.name} ${body.slice(caret)}`;
    const position = start + person.name.length + 2;
    caretAfterChoice.current = position;
    onChange(next);
    setCaret(position);
    setHighlighted(0);
  };

  /** Call first from the textarea's keydown; true when the key was for the suggestions. */
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): boolean => {
    if (suggestions.length === 0) return false;
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      setHighlighted((active + (event.key === 'ArrowDown' ? 1 : suggestions.length - 1)) % suggestions.length);
    } else if ((event.key === 'Enter' && !event.metaKey && !event.ctrlKey) || event.key === 'Tab') {
      choose(suggestions[active]);
    } else if (event.key === 'Escape') {
      setDismissedAt(caret);
    } else {
      return false;
    }
    event.preventDefault();
    return true;
  };

  /** Keeps track of the caret; call on change, click and key up. */
  const trackCaret = () => setCaret(textArea.current?.selectionStart ?? null);

  const popup =
    suggestions.length > 0 ? (
      <ul className="mention-suggestions" role="listbox" aria-label="Mention someone" data-testid="mention-suggestions">
        {suggestions.map((person, index) => (
          <li key={person.id} role="option" aria-selected={index === active}>
            <button
              type="button"
              tabIndex={-1}
              onMouseDown={(event) => {
                event.preventDefault();
                choose(person);
              }}
              data-testid="mention-suggestion"
            >
              <strong>{person.name}</strong> <span className="muted">{person.email}</span>
            </button>
          </li>
        ))}
      </ul>
    ) : null;

  return { popup, onKeyDown, trackCaret, idsIn: (text: string) => mentionedIds(text, people) };
}

/** A note's text with the people it mentions shown as names. */
export function WithMentions({ text, mentionIds, userNames }: { text: string; mentionIds: string[]; userNames: Map<string, string> }): ReactNode {
  const names = mentionIds.map((id) => userNames.get(id)).filter((name): name is string => Boolean(name));
  if (names.length === 0) return text;
  const pattern = new RegExp(`@(${names.map(escapeRegExp).sort((a, b) => b.length - a.length).join('|')})`, 'g');
  const parts = text.split(pattern);
  // split() with one capture group alternates text and the captured name.
  return parts.map((part, index) =>
    index % 2 === 1 ? (
      <span key={index} className="mention" data-testid="mention">
        @{part}
      </span>
    ) : (
      <Fragment key={index}>{part}</Fragment>
    ),
  );
}
