import { useState, type ReactNode } from 'react';
import type { MetricsPeriodQuery } from '../../../../../contracts/care-metrics';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { useChurn, useCohorts, useCycle1, useJourneyEffects, useNps, usePrevented } from '../hooks/useCareMetrics';
import '../../care/care.css';
import '../careMetrics.css';
import { ChurnCard } from './ChurnCard';
import { CohortHeatMap } from './CohortHeatMap';
import { Cycle1Card } from './Cycle1Card';
import { DrillDownDialog, type DrillDown } from './DrillDownDialog';
import { JourneyEffectsCard } from './JourneyEffectsCard';
import { MetricsCard } from './MetricsCard';
import { NpsCard, signedScore } from './NpsCard';
import { formatShare } from './metricsFormat';
import { PreventedCard } from './PreventedCard';

const PERIODS = [
  { months: 6, label: 'Last 6 months' },
  { months: 12, label: 'Last 12 months' },
  { months: 24, label: 'Last 24 months' },
] as const;

const monthOf = (date: Date) => date.toISOString().slice(0, 7);
function lastMonths(months: number): MetricsPeriodQuery {
  const now = new Date();
  return { from: monthOf(new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - months + 1, 1))), to: monthOf(now) };
}

/** Loading, error and data states of one card, the same for every card. */
function Loaded<T>({ query, title, wide = false, children }: { query: { data?: T; isPending: boolean; isError: boolean; error: unknown; refetch: () => unknown }; title: string; wide?: boolean; children: (data: T) => ReactNode }) {
  if (query.data !== undefined) return <>{children(query.data)}</>;
  return (
    <MetricsCard title={title} wide={wide} busy={query.isPending}>
      {query.isError ? <ErrorNotice error={query.error} onRetry={() => void query.refetch()} /> : <div className="metrics-skeleton" aria-label="Loading" />}
    </MetricsCard>
  );
}

/**
 * Whether care pays off: active subscribers and churn, retention cohorts, the cycle-1 question, journeys against
 * their holdouts, tickets prevented. Every figure opens the customers behind it.
 */
export function CareMetricsPage() {
  const [months, setMonths] = useState<number>(12);
  const [drillDown, setDrillDown] = useState<DrillDown | null>(null);
  const period = lastMonths(months);
  const churn = useChurn(period);
  const cohorts = useCohorts(period);
  const cycle1 = useCycle1(period);
  const nps = useNps(period);
  const journeys = useJourneyEffects();
  const prevented = usePrevented();
  const lastComplete = churn.data?.months.filter((month) => month.complete).at(-1);

  return (
    <div className="care-metrics" data-testid="care-metrics-page">
      <header className="care-metrics__header">
        <div>
          <h1>Care metrics</h1>
          <p className="muted">Does the care work pay off? Months are calendar months (UTC).</p>
        </div>
        <label className="care-metrics__period">
          <span className="muted">Period</span>
          <select value={months} onChange={(event) => setMonths(Number(event.target.value))}>
            {PERIODS.map((option) => (
              <option key={option.months} value={option.months}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </header>

      <div className="metrics-tiles">
        <button type="button" className="metrics-tile" onClick={() => setDrillDown({ title: 'Active subscribers now', query: { figure: 'active' } })}>
          <span className="muted">Active subscribers</span>
          <strong data-testid="active-now">{churn.data ? churn.data.activeNow.toLocaleString() : churn.isError ? '—' : '…'}</strong>
        </button>
        <div className="metrics-tile">
          <span className="muted">Churn {lastComplete ? `in ${new Date(`${lastComplete.month}-01T00:00:00Z`).toLocaleDateString(undefined, { month: 'long', timeZone: 'UTC' })}` : 'last month'}</span>
          <strong>{lastComplete ? formatShare(lastComplete.churnRate) : churn.isPending ? '…' : '—'}</strong>
          {lastComplete && (
            <span className="muted">
              {formatShare(lastComplete.voluntaryRate)} voluntary · {formatShare(lastComplete.involuntaryRate)} involuntary
            </span>
          )}
        </div>
        <div className="metrics-tile">
          <span className="muted">NPS</span>
          <strong>{nps.data ? signedScore(nps.data.score) : nps.isPending ? '…' : '—'}</strong>
          {nps.data && <span className="muted">{nps.data.answers.toLocaleString()} answers in the period</span>}
        </div>
        <div className="metrics-tile">
          <span className="muted">Tickets prevented</span>
          <strong>{prevented.data?.total ? Math.round(prevented.data.total.estimate).toLocaleString() : prevented.isPending ? '…' : '—'}</strong>
          <span className="muted">by shipped initiatives</span>
        </div>
      </div>

      <div className="metrics-grid">
        <Loaded query={churn} title="Active subscribers and churn" wide>
          {(data) => <ChurnCard churn={data} onDrill={setDrillDown} />}
        </Loaded>
        <Loaded query={cohorts} title="Retention by start month">
          {(data) => <CohortHeatMap cohorts={data} onDrill={setDrillDown} />}
        </Loaded>
        <Loaded query={nps} title="Net Promoter Score">
          {(data) => <NpsCard nps={data} period={period} onDrill={setDrillDown} />}
        </Loaded>
        <Loaded query={cycle1} title="Do first-cycle tickets mean churn?">
          {(data) => <Cycle1Card answer={data} period={period} onDrill={setDrillDown} />}
        </Loaded>
        <Loaded query={journeys} title="Do journeys change it?">
          {(data) => <JourneyEffectsCard effects={data} onDrill={setDrillDown} />}
        </Loaded>
        <Loaded query={prevented} title="Tickets prevented">
          {(data) => <PreventedCard prevented={data} onDrill={setDrillDown} />}
        </Loaded>
      </div>
      {drillDown && <DrillDownDialog drillDown={drillDown} onClose={() => setDrillDown(null)} />}
    </div>
  );
}
