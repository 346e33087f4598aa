import { use, useState } from 'react';
import { errorMessage } from '../../../api/client';
import { ComposerContext } from '../../tickets/components/Composer';
import { useMacroPreview, useMacros } from '../hooks/useMacros';
import '../automation.css';

/**
 * The composer's macro picker: search by name, preview against this ticket (with warnings for variables
 * that have no value), then use it: the reply lands in the draft and the actions wait, shown as pending
 * in the composer, until the reply is sent with them (discarding the draft drops them).
 */
export function MacroPicker({ ticketId }: { ticketId: string }) {
  const composer = use(ComposerContext);
  const [open, setOpen] = useState(false);
  const [query, setQuery] = useState('');
  const [selected, setSelected] = useState<string | null>(null);
  const macros = useMacros(query);
  const preview = useMacroPreview(selected, ticketId);
  if (!composer) return null;

  const close = () => {
    setOpen(false);
    setSelected(null);
  };
  const pickSelected = () => {
    const macro = macros.data?.find((candidate) => candidate.id === selected);
    if (!macro || !preview.data) return;
    composer.addMacro({ id: macro.id, name: macro.name, actions: preview.data.actions }, preview.data.body);
    close();
  };

  if (!open) {
    return (
      <button type="button" className="button button--small" onClick={() => setOpen(true)} data-testid="macro-picker-open">
        Macros
      </button>
    );
  }
  return (
    <div className="macro-picker" role="dialog" aria-label="Apply a macro" data-testid="macro-picker">
      <input type="search" autoFocus aria-label="Search macros" placeholder="Search macros…" value={query} onChange={(event) => setQuery(event.target.value)} />
      <ul className="macro-picker__list" role="listbox" aria-label="Macros">
        {(macros.data ?? []).map((macro) => (
          <li key={macro.id} role="option" aria-selected={selected === macro.id}>
            <button type="button" className="macro-picker__option" onClick={() => setSelected(macro.id)} data-testid="macro-option">
              {macro.name}
            </button>
          </li>
        ))}
        {macros.data?.length === 0 && <li className="muted">No macro matches.</li>}
      </ul>
      {selected && (
        <div className="macro-picker__preview" data-testid="macro-preview">
          {preview.isPending && <p className="muted">Rendering…</p>}
          {preview.isError && <p className="form-error">{errorMessage(preview.error)}</p>}
          {preview.data && (
            <>
              {preview.data.warnings.map((warning) => (
                <p key={warning} className="macro-picker__warning" data-testid="macro-warning">
                  {warning}
                </p>
              ))}
              {preview.data.body && <pre className="macro-picker__body">{preview.data.body}</pre>}
              {preview.data.actions.length > 0 && (
                <ul className="macro-picker__actions">
                  {preview.data.actions.map((action, index) => (
                    <li key={index}>{action}</li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
      <div className="automation__inline">
        <button type="button" className="button button--primary button--small" disabled={!preview.data} onClick={pickSelected} data-testid="macro-apply">
          Use in reply
        </button>
        <button type="button" className="button button--small" onClick={close}>
          Cancel
        </button>
      </div>
    </div>
  );
}
