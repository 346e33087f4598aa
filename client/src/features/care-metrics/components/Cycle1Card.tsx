import type { Cycle1Dto, MetricsPeriodQuery } from '../../../../../contracts/care-metrics';
import type { DrillDown } from './DrillDownDialog';
import { IntervalBar } from './IntervalBar';
import { MetricsCard } from './MetricsCard';
import { formatInterval, formatPoints, formatShare } from './metricsFormat';

/** Do customers with a first-cycle ticket churn more here? The team's own answer, by tag too. */
export function Cycle1Card({ answer, period, onDrill }: { answer: Cycle1Dto; period: MetricsPeriodQuery; onDrill: (drillDown: DrillDown) => void }) {
  const group = (label: string, figure: 'cycle1_openers' | 'cycle1_others', split: Cycle1Dto['openers']) => (
    <div className="metrics-figure">
      <span className="muted">{label}</span>
      <strong>{formatShare(split.churnRate)}</strong>
      <span className="muted">
        <button type="button" className="metrics-link" onClick={() => onDrill({ title: `${label}: churned within 90 days`, query: { figure, ...period, churned: 'true' } })}>
          {split.churned}
        </button>{' '}
        of{' '}
        <button type="button" className="metrics-link" onClick={() => onDrill({ title: label, query: { figure, ...period } })}>
          {split.customers}
        </button>{' '}
        churned within 90 days
      </span>
    </div>
  );
  return (
    <MetricsCard title="Do first-cycle tickets mean churn?" testId="cycle1-card">
      <p className="metrics-verdict">{answer.verdict}</p>
      <div className="metrics-figures">
        {group('Opened a ticket in their first cycle', 'cycle1_openers', answer.openers)}
        {group('Did not', 'cycle1_others', answer.others)}
      </div>
      {answer.difference && (
        <>
          <IntervalBar interval={answer.difference} label={`Difference ${formatPoints(answer.difference.estimate)}, 95% interval ${formatInterval(answer.difference, formatPoints)}`} />
          <p className="muted metrics-card__hint">
            Difference {formatPoints(answer.difference.estimate)} (95% interval {formatInterval(answer.difference, formatPoints)}); the line is “no difference”.
          </p>
        </>
      )}
      {answer.byTag.length > 0 && (
        <div className="metrics-table-scroll">
          <table className="metrics-table">
            <thead>
              <tr>
                <th>First-cycle tickets tagged</th>
                <th>Customers</th>
                <th>90-day churn</th>
                <th>Against no ticket</th>
              </tr>
            </thead>
            <tbody>
              {answer.byTag.slice(0, 8).map((tag) => (
                <tr key={tag.tag}>
                  <th scope="row">{tag.tag}</th>
                  <td>
                    <button type="button" className="metrics-link" onClick={() => onDrill({ title: `First-cycle tickets tagged ${tag.tag}`, query: { figure: 'cycle1_openers', ...period, tag: tag.tag } })}>
                      {tag.openers.customers}
                    </button>
                  </td>
                  <td>{formatShare(tag.openers.churnRate)}</td>
                  <td>{tag.difference ? `${formatPoints(tag.difference.estimate)} (${formatInterval(tag.difference, formatPoints)})` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </MetricsCard>
  );
}
