import { Bar, CartesianGrid, ComposedChart, Legend, Line, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ImpactDto } from '../../../../../contracts/care';
import { formatPercent } from './careFormat';

const weekLabel = (iso: string) => new Date(iso).toLocaleDateString(undefined, { month: 'short', day: 'numeric' });

/** Weekly tickets (bars) and tickets per 100 active subscribers (line), with the shipped day marked. */
export function ImpactChart({ impact }: { impact: ImpactDto }) {
  const data = impact.weeks.map((week) => ({ ...week, label: weekLabel(week.weekStart) + (week.partial ? ' (so far)' : '') }));
  const shippedLabel = data.find((week) => week.offset === 0)?.label;
  return (
    <section aria-label="Impact">
      <div className="care-initiative__impact">
        <div>
          <span className="muted">Before (weekly)</span>
          <strong>{impact.before.weekly?.toFixed(1) ?? '—'}</strong>
        </div>
        <div>
          <span className="muted">After (weekly)</span>
          <strong>{impact.after.weekly?.toFixed(1) ?? '—'}</strong>
        </div>
        <div>
          <span className="muted">Change</span>
          <strong data-testid="impact-change">{formatPercent(impact.changePct)}</strong>
        </div>
        <div>
          <span className="muted">Per 100 subscribers</span>
          <strong>{formatPercent(impact.changePctPer100)}</strong>
        </div>
      </div>
      {!impact.shippedAt && <p className="muted">Not shipped yet: the chart shows the last weeks; before and after appear once it is marked shipped.</p>}
      <div className="care-initiative__chart">
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 12, right: 12, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} />
            <XAxis dataKey="label" fontSize={11} />
            <YAxis yAxisId="tickets" allowDecimals={false} fontSize={11} />
            <YAxis yAxisId="rate" orientation="right" fontSize={11} />
            <Tooltip />
            <Legend />
            <Bar yAxisId="tickets" dataKey="tickets" name="Tickets per week" fill="#8777d9" />
            <Line yAxisId="rate" dataKey="ratePer100" name="Per 100 active subscribers" stroke="#de350b" dot={false} connectNulls />
            {shippedLabel && <ReferenceLine yAxisId="tickets" x={shippedLabel} stroke="#00875a" strokeDasharray="4 2" label={{ value: 'Shipped', position: 'top', fontSize: 11 }} />}
          </ComposedChart>
        </ResponsiveContainer>
      </div>
    </section>
  );
}
