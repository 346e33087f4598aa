import { useId, type ReactNode } from 'react';

/** One dashboard card: its title, an optional CSV export, what its figure means, then the figure. */
export function MetricsCard({ title, onExport, hint, wide = false, busy = false, testId, children }: { title: string; onExport?: () => void; hint?: string; wide?: boolean; busy?: boolean; testId?: string; children: ReactNode }) {
  const titleId = useId();
  return (
    <section className={wide ? 'metrics-card metrics-card--wide' : 'metrics-card'} aria-labelledby={titleId} aria-busy={busy} data-testid={testId}>
      <header className="metrics-card__header">
        <h2 id={titleId}>{title}</h2>
        {onExport && (
          <button type="button" className="button button--small" onClick={onExport}>
            Export CSV
          </button>
        )}
      </header>
      {hint && <p className="muted metrics-card__hint">{hint}</p>}
      {children}
    </section>
  );
}
