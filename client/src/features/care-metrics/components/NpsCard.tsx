import { CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { MetricsPeriodQuery, NpsDto } from '../../../../../contracts/care-metrics';
import type { NpsGroup } from '../../../../../contracts/surveys';
import { routeHref } from '../../../routes';
import type { DrillDown } from './DrillDownDialog';
import { MetricsCard } from './MetricsCard';
import { downloadCsv, monthName, onPointClick } from './metricsFormat';

const GROUP_LABELS: Record<NpsGroup, string> = { promoters: 'Promoters (9–10)', passives: 'Passives (7–8)', detractors: 'Detractors (0–6)' };
/** NPS as it is usually said: a whole number, signed ("+35", "−12"). */
export const signedScore = (score: number | null) => {
  if (score === null) return '—';
  const whole = Math.round(score);
  return `${whole > 0 ? '+' : whole < 0 ? '−' : ''}${Math.abs(whole)}`;
};
const share = (count: number, answers: number) => (answers > 0 ? `${Math.round((count / answers) * 100)}%` : '—');

/** NPS over the period (promoters − detractors), its trend by month, who is in each group, and what they wrote. */
export function NpsCard({ nps, period, onDrill }: { nps: NpsDto; period: MetricsPeriodQuery; onDrill: (drillDown: DrillDown) => void }) {
  const data = nps.months.map((month) => ({ ...month, label: monthName(month.month) }));
  const exportCsv = () =>
    downloadCsv(
      `careloop-nps-${nps.from}-${nps.to}.csv`,
      ['month', 'answers', 'promoters', 'passives', 'detractors', 'nps'],
      nps.months.map((month) => [month.month, month.answers, month.promoters, month.passives, month.detractors, month.score]),
    );
  return (
    <MetricsCard title="Net Promoter Score" testId="nps-card" onExport={exportCsv} hint="“How likely are you to recommend us, 0–10?” NPS is the % of promoters (9–10) minus the % of detractors (0–6), from −100 to +100.">
      {nps.answers === 0 ? (
        <p className="muted">No NPS answers in this period yet. Switch on the “Day-90 NPS” journey to start asking.</p>
      ) : (
        <>
          <div className="metrics-figures">
            <div className="metrics-figure">
              <span className="muted">NPS</span>
              <strong data-testid="nps-score">{signedScore(nps.score)}</strong>
              <button type="button" className="metrics-link muted" onClick={() => onDrill({ title: 'Every NPS answer', query: { figure: 'nps', ...period } })}>
                from {nps.answers.toLocaleString()} answers
              </button>
            </div>
            {(['promoters', 'passives', 'detractors'] as const).map((group) => (
              <div className="metrics-figure" key={group}>
                <span className="muted">{GROUP_LABELS[group]}</span>
                <strong>{share(nps[group], nps.answers)}</strong>
                <button type="button" className="metrics-link" onClick={() => onDrill({ title: GROUP_LABELS[group], query: { figure: 'nps', ...period, group } })}>
                  {nps[group].toLocaleString()} customers
                </button>
              </div>
            ))}
          </div>
          <div className="metrics-chart metrics-chart--short">
            <ResponsiveContainer width="100%" height="100%">
              <LineChart
                data={data}
                margin={{ top: 8, right: 8, bottom: 0, left: -16 }}
                onClick={onPointClick(data, (month) => month.answers > 0 && onDrill({ title: `NPS answers in ${monthName(month.month)}`, query: { figure: 'nps', month: month.month } }))}
              >
                <CartesianGrid strokeDasharray="3 3" vertical={false} />
                <XAxis dataKey="label" fontSize={11} />
                <YAxis domain={[-100, 100]} ticks={[-100, -50, 0, 50, 100]} fontSize={11} />
                <Tooltip formatter={(value, _name, item) => [`${signedScore(typeof value === 'number' ? value : null)} (${(item.payload as { answers: number }).answers} answers)`, 'NPS']} />
                <Line dataKey="score" name="NPS" stroke="#3b5bdb" strokeWidth={2} dot={{ r: 3 }} connectNulls cursor="pointer" />
              </LineChart>
            </ResponsiveContainer>
          </div>
          {nps.comments.length > 0 && (
            <>
              <h3 className="metrics-subtitle">What they wrote</h3>
              <ul className="metrics-comments" data-testid="nps-comments">
                {nps.comments.map((comment) => (
                  <li key={comment.responseId} className={`metrics-comment metrics-comment--${comment.group}`}>
                    <span className="metrics-comment__score" title={GROUP_LABELS[comment.group]}>
                      {comment.score}
                    </span>
                    <div>
                      <p>{comment.comment}</p>
                      <span className="muted">
                        <a href={routeHref({ page: 'customer', customerId: comment.customerId })}>{comment.name ?? comment.email}</a> ·{' '}
                        {new Date(comment.answeredAt).toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}
                      </span>
                    </div>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </MetricsCard>
  );
}
