import { useEffect, useSyncExternalStore } from 'react';

/** How long an action can be taken back: long enough to notice a slip, short enough to stay out of the way. */
export const UNDO_SECONDS = 6;

interface UndoOffer {
  id: number;
  message: string;
  undo: () => void;
  /** Runs when the offer lapses without an undo (a merge waits for it before it is sent). */
  onExpire?: () => void;
}

let current: UndoOffer | null = null;
let nextId = 1;
const listeners = new Set<() => void>();
const publish = (offer: UndoOffer | null) => {
  current = offer;
  listeners.forEach((listener) => listener());
};

/**
 * Offers to take back an action for a few seconds. A newer offer replaces an older one, which then
 * counts as lapsed (its onExpire runs), so a deferred action is never lost.
 */
export function offerUndo(message: string, undo: () => void, onExpire?: () => void): void {
  const previous = current;
  publish({ id: nextId++, message, undo, onExpire });
  previous?.onExpire?.();
}

function dismiss(offer: UndoOffer, undone: boolean): void {
  if (current?.id !== offer.id) return;
  publish(null);
  if (undone) offer.undo();
  else offer.onExpire?.();
}

/** The one toast, mounted once at the root. */
export function UndoToast() {
  const offer = useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => current,
  );
  useEffect(() => {
    if (!offer) return;
    const timer = setTimeout(() => dismiss(offer, false), UNDO_SECONDS * 1000);
    return () => clearTimeout(timer);
  }, [offer]);
  if (!offer) return null;
  return (
    <div className="undo-toast" role="status" data-testid="undo-toast">
      <span>{offer.message}</span>
      <button type="button" className="button button--small undo-toast__undo" onClick={() => dismiss(offer, true)} data-testid="undo-button">
        Undo
      </button>
      <button type="button" className="undo-toast__close" aria-label="Dismiss" onClick={() => dismiss(offer, false)}>
        ×
      </button>
    </div>
  );
}
