import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChurnDto } from '../../../../../contracts/care-metrics';
import type { DrillDown } from './DrillDownDialog';
import { MetricsCard } from './MetricsCard';
import { downloadCsv, formatShare, monthName, onPointClick } from './metricsFormat';

/** Subscribers active at each month's start (bars) and the month's churn, voluntary and involuntary (lines). */
export function ChurnCard({ churn, onDrill }: { churn: ChurnDto; onDrill: (drillDown: DrillDown) => void }) {
  const data = churn.months.map((month) => ({
    ...month,
    label: monthName(month.month) + (month.complete ? '' : ' (so far)'),
    churnPct: month.churnRate === null ? null : month.churnRate * 100,
    voluntaryPct: month.voluntaryRate === null ? null : month.voluntaryRate * 100,
    involuntaryPct: month.involuntaryRate === null ? null : month.involuntaryRate * 100,
  }));
  const exportCsv = () =>
    downloadCsv(
      `careloop-churn-${churn.from}-${churn.to}.csv`,
      ['month', 'active_at_start', 'started', 'cancelled', 'voluntary', 'involuntary', 'unspecified', 'churn_rate'],
      churn.months.map((month) => [month.month, month.activeAtStart, month.started, month.cancelled, month.voluntary, month.involuntary, month.unspecified, month.churnRate]),
    );
  return (
    <MetricsCard title="Active subscribers and churn" wide onExport={exportCsv} hint="Churn is the month’s cancellations ÷ subscribers active at its start. Click a month to see who left.">
      <div className="metrics-chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart
            data={data}
            margin={{ top: 8, right: 4, bottom: 0, left: -8 }}
            onClick={onPointClick(data, (month) => onDrill({ title: `Cancelled in ${monthName(month.month)}`, query: { figure: 'cancelled', month: month.month } }))}
          >
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis yAxisId="active" allowDecimals={false} fontSize={11} />
            <YAxis yAxisId="rate" orientation="right" fontSize={11} unit="%" />
            <Tooltip formatter={(value, name) => (typeof value === 'number' && String(name).includes('churn') ? `${value.toFixed(1)}%` : value)} />
            <Legend />
            <Bar yAxisId="active" dataKey="activeAtStart" name="Active at month start" fill="#c7d2fe" cursor="pointer" />
            <Line yAxisId="rate" dataKey="churnPct" name="Monthly churn" stroke="#b42318" strokeWidth={2} dot={{ r: 3 }} connectNulls />
            <Line yAxisId="rate" dataKey="voluntaryPct" name="Voluntary churn" stroke="#e9a23b" dot={false} connectNulls />
            <Line yAxisId="rate" dataKey="involuntaryPct" name="Involuntary churn" stroke="#6b778c" strokeDasharray="4 2" dot={false} connectNulls />
          </ComposedChart>
        </ResponsiveContainer>
      </div>
      <div className="metrics-table-scroll">
        <table className="metrics-table">
          <thead>
            <tr>
              <th>Month</th>
              <th>Active at start</th>
              <th>Started</th>
              <th>Cancelled</th>
              <th>Voluntary</th>
              <th>Involuntary</th>
              <th>Churn</th>
            </tr>
          </thead>
          <tbody>
            {churn.months.map((month) => (
              <tr key={month.month}>
                <th scope="row">
                  {monthName(month.month)}
                  {!month.complete && <span className="muted"> (so far)</span>}
                </th>
                <td>{month.activeAtStart}</td>
                <td>
                  <button type="button" className="metrics-link" onClick={() => onDrill({ title: `Started in ${monthName(month.month)}`, query: { figure: 'started', month: month.month } })}>
                    {month.started}
                  </button>
                </td>
                <td>
                  <button type="button" className="metrics-link" onClick={() => onDrill({ title: `Cancelled in ${monthName(month.month)}`, query: { figure: 'cancelled', month: month.month } })}>
                    {month.cancelled}
                  </button>
                </td>
                <td>{month.voluntary}</td>
                <td>{month.involuntary}</td>
                <td>{formatShare(month.churnRate)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </MetricsCard>
  );
}
