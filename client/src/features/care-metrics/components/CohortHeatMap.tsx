import type { CohortsDto } from '../../../../../contracts/care-metrics';
import type { DrillDown } from './DrillDownDialog';
import { MetricsCard } from './MetricsCard';
import { downloadCsv, formatShare, monthName } from './metricsFormat';

/** From red (nobody kept) through amber to green (everyone kept), light enough for dark text. */
const heat = (share: number) => `hsl(${Math.round(share * 130)}deg 70% ${88 - share * 18}%)`;

/** Retention by start month: the cohort triangle, each cell coloured by the share still active on that day. */
export function CohortHeatMap({ cohorts, onDrill }: { cohorts: CohortsDto; onDrill: (drillDown: DrillDown) => void }) {
  const days = cohorts.cohorts[0]?.cells.map((cell) => cell.day) ?? [30, 90, 180, 365];
  const exportCsv = () =>
    downloadCsv(
      `careloop-cohorts-${cohorts.from}-${cohorts.to}.csv`,
      ['cohort', 'size', ...days.flatMap((day) => [`day_${day}_eligible`, `day_${day}_retained`])],
      cohorts.cohorts.map((cohort) => [cohort.month, cohort.size, ...cohort.cells.flatMap((cell) => [cell.eligible, cell.retained])]),
    );
  return (
    <MetricsCard
      title="Retention by start month"
      onExport={exportCsv}
      hint="Share of each month’s new subscribers still active on day 30, 90, 180 and 365 (the anniversary). Empty until that day has come."
    >
      {cohorts.cohorts.length === 0 ? (
        <p className="metrics-empty">No subscriber started in this period.</p>
      ) : (
        <div className="metrics-table-scroll">
          <table className="metrics-heat" data-testid="cohort-heat-map">
            <thead>
              <tr>
                <th>Started</th>
                <th>Subscribers</th>
                {days.map((day) => (
                  <th key={day}>Day {day}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {cohorts.cohorts.map((cohort) => (
                <tr key={cohort.month}>
                  <th scope="row">{monthName(cohort.month)}</th>
                  <td>
                    <button type="button" className="metrics-link" onClick={() => onDrill({ title: `Started in ${monthName(cohort.month)}`, query: { figure: 'cohort', month: cohort.month } })}>
                      {cohort.size}
                    </button>
                  </td>
                  {cohort.cells.map((cell) => (
                    <td
                      key={cell.day}
                      className="metrics-heat__cell"
                      style={cell.share === null ? undefined : { background: heat(cell.share) }}
                      title={cell.share === null ? `Day ${cell.day} has not come yet` : `${cell.retained} of ${cell.eligible} still active on day ${cell.day}`}
                    >
                      {cell.share === null ? '' : formatShare(cell.share)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </MetricsCard>
  );
}
