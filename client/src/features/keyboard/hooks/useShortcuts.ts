import { useEffect, useRef } from 'react';
import type { ShortcutKey } from '../shortcuts';

export type ShortcutHandlers = Partial<Record<ShortcutKey, () => void>>;

/** Typing in a field must never trigger a shortcut. */
function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName);
}

/** Enter keeps its own meaning on links and buttons. */
function isActivatable(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && ['A', 'BUTTON', 'SUMMARY'].includes(target.tagName);
}

/** Binds single-key shortcuts while mounted; the handlers may change on every render. */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || isTextEntry(event.target)) return;
      if (event.key === 'Enter' && isActivatable(event.target)) return;
      const handler = latest.current[event.key as ShortcutKey];
      if (!handler) return;
      event.preventDefault();
      handler();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, []);
}
