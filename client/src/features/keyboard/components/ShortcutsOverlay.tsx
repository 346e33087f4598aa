import { useEffect, useRef, useState } from 'react';
import { useShortcuts } from '../hooks/useShortcuts';
import { SHORTCUTS } from '../shortcuts';

/** The `?` overlay listing every shortcut; Escape or a click outside closes it. */
export function ShortcutsOverlay() {
  const [open, setOpen] = useState(false);
  const dialog = useRef<HTMLDialogElement>(null);
  useShortcuts({ '?': () => setOpen((wasOpen) => !wasOpen) });

  useEffect(() => {
    if (open) dialog.current?.showModal();
    else dialog.current?.close();
  }, [open]);

  return (
    <dialog
      ref={dialog}
      className="shortcuts"
      aria-labelledby="shortcuts-title"
      onClose={() => setOpen(false)}
      onClick={(event) => event.target === dialog.current && setOpen(false)}
      data-testid="shortcuts-overlay"
    >
      <h2 id="shortcuts-title" className="shortcuts__title">
        Keyboard shortcuts
      </h2>
      <dl className="shortcuts__list">
        {SHORTCUTS.map((shortcut) => (
          <div key={shortcut.key} className="shortcuts__item">
            <dt>
              <kbd>{shortcut.key}</kbd>
            </dt>
            <dd>{shortcut.description}</dd>
          </div>
        ))}
      </dl>
      <button type="button" className="button button--small" onClick={() => setOpen(false)}>
        Close
      </button>
    </dialog>
  );
}
