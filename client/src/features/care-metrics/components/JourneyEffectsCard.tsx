import type { JourneyEffectsDto } from '../../../../../contracts/care-metrics';
import { routeHref } from '../../../routes';
import type { DrillDown } from './DrillDownDialog';
import { MetricsCard } from './MetricsCard';
import { formatInterval, formatPoints, formatShare } from './metricsFormat';

const perCustomer = (value: number | null) => (value === null ? '—' : value.toFixed(2));

/** Each journey against the customers it held out: churn and tickets within 90 days of entering. */
export function JourneyEffectsCard({ effects, onDrill }: { effects: JourneyEffectsDto; onDrill: (drillDown: DrillDown) => void }) {
  return (
    <MetricsCard title="Do journeys change it?">
      {effects.journeys.length === 0 ? (
        <p className="metrics-empty">
          No journey has had customers for 90 days yet. Give a journey a holdout (e.g. 10%) on its page to measure it against the customers it leaves alone.
        </p>
      ) : (
        <ul className="metrics-journeys">
          {effects.journeys.map((journey) => (
            <li key={journey.journeyId}>
              <a className="metrics-journeys__name" href={routeHref({ page: 'journey', journeyId: journey.journeyId })}>
                {journey.journeyName}
              </a>
              <span className="muted"> · holds out {journey.holdoutPercent}%</span>
              <p className="metrics-verdict metrics-verdict--small">{journey.verdict}</p>
              <table className="metrics-table">
                <thead>
                  <tr>
                    <th />
                    <th>Customers</th>
                    <th>Churn in 90 days</th>
                    <th>Tickets per customer</th>
                  </tr>
                </thead>
                <tbody>
                  {(
                    [
                      ['Reached', 'journey_reached', journey.reached],
                      ['Held out', 'journey_held_out', journey.heldOut],
                    ] as const
                  ).map(([label, figure, group]) => (
                    <tr key={figure}>
                      <th scope="row">{label}</th>
                      <td>
                        <button type="button" className="metrics-link" onClick={() => onDrill({ title: `${journey.journeyName}: ${label.toLowerCase()}`, query: { figure, id: journey.journeyId } })}>
                          {group.customers}
                        </button>
                      </td>
                      <td>{formatShare(group.churnRate)}</td>
                      <td>{perCustomer(group.ticketsPerCustomer)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {journey.churnDifference && journey.ticketDifference && (
                <p className="muted metrics-card__hint">
                  Churn {formatPoints(journey.churnDifference.estimate)} ({formatInterval(journey.churnDifference, formatPoints)}); tickets per customer{' '}
                  {journey.ticketDifference.estimate >= 0 ? '+' : ''}
                  {journey.ticketDifference.estimate.toFixed(2)} ({journey.ticketDifference.low.toFixed(2)} to {journey.ticketDifference.high.toFixed(2)}).
                </p>
              )}
            </li>
          ))}
        </ul>
      )}
    </MetricsCard>
  );
}
