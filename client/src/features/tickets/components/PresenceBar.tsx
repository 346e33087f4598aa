import type { TicketViewer } from '../../realtime/hooks/usePresence';

const TYPING_TEXT = { reply: 'typing a reply', note: 'writing an internal note' } as const;

/** Who else has this ticket open, and whether they are writing a reply or a note. */
export function PresenceBar({ others }: { others: TicketViewer[] }) {
  if (others.length === 0) return null;
  return (
    <ul className="presence" aria-label="Also on this ticket" data-testid="presence">
      {others.map((viewer) => (
        <li key={viewer.userId} className={`presence__viewer${viewer.typing ? ` presence__viewer--${viewer.typing}` : ''}`} data-testid="presence-viewer" data-typing={viewer.typing ?? 'none'}>
          <span className="presence__avatar" aria-hidden="true">
            {viewer.name.slice(0, 1).toUpperCase()}
          </span>
          {viewer.name} {viewer.typing ? <em>is {TYPING_TEXT[viewer.typing]}…</em> : <span className="muted">is viewing</span>}
        </li>
      ))}
    </ul>
  );
}
