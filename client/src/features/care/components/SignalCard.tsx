import type { SignalDto } from '../../../../../contracts/care';
import { DEFAULT_ROUTE, routeHref } from '../../../routes';
import { formatPercent, signalReasons } from './careFormat';

/** Bar heights for the weekly sparkline, scaled to the busiest week. */
function Sparkline({ weekly }: { weekly: number[] }) {
  const highest = Math.max(1, ...weekly);
  return (
    <span className="care-sparkline" aria-label={`Tickets per week: ${weekly.join(', ')}`}>
      {weekly.map((count, index) => (
        <span key={index} className="care-sparkline__bar" style={{ height: `${Math.max(2, (count / highest) * 100)}%` }} />
      ))}
    </span>
  );
}

export function SignalCard({ signal, onBoard, onPromote }: { signal: SignalDto; onBoard: boolean; onPromote: () => void }) {
  return (
    <li
      className="care-card care-card--signal"
      draggable={!onBoard}
      onDragStart={(event) => event.dataTransfer.setData('application/x-careloop-signal', signal.key)}
      data-testid="signal-card"
    >
      <div className="care-card__title">
        {signal.color && <span className="care-card__dot" style={{ background: signal.color }} />}
        {signal.kind === 'cluster' ? `Similar: “${signal.label}”` : signal.label}
      </div>
      <div className="care-card__badges">
        {signalReasons(signal).map((reason) => (
          <span key={reason} className={`badge care-badge care-badge--${reason.split(' ').at(-1)}`}>
            {reason}
          </span>
        ))}
      </div>
      <dl className="care-card__facts">
        <dt>This week</dt>
        <dd>
          {signal.volume} ({formatPercent(signal.changePct)} vs {signal.baselineWeekly.toFixed(1)}/wk)
        </dd>
        <dt>Customers</dt>
        <dd>{signal.customers}</dd>
        <dt>First cycle</dt>
        <dd>{formatPercent(signal.firstCycleShare === null ? null : signal.firstCycleShare * 100, false)}</dd>
      </dl>
      <Sparkline weekly={signal.weekly} />
      {signal.examples.length > 0 && (
        <ul className="care-card__examples">
          {signal.examples.map((example) => (
            <li key={example.id}>
              <a href={routeHref({ ...DEFAULT_ROUTE, ticketId: example.id })}>
                #{example.number} {example.subject}
              </a>
            </li>
          ))}
        </ul>
      )}
      {onBoard ? (
        <p className="muted care-card__note">On the board</p>
      ) : (
        <button type="button" className="button button--small" onClick={onPromote}>
          Promote…
        </button>
      )}
    </li>
  );
}
