import { useEffect, useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { AppHeader } from '../../../components/AppHeader';
import { navigate, routeHref, type ReportsRoute, type ReportTab } from '../../../routes';
import { useMailboxOptions, useTags, useTeams, useUsers } from '../../workspace/hooks/useWorkspace';
import { exportUrl } from '../api/reports.api';
import { drillRoute } from '../drill';
import { ReportSettingsForm } from './ReportSettingsForm';
import { useReportsLiveUpdates } from '../hooks/useReports';
import { AgentsReport, OverviewReport, ResolutionReport, ResponseTimesReport, SatisfactionReport, SlaReport, VolumeReport } from './ReportViews';
import '../reports.css';

const TABS: { tab: Exclude<ReportTab, 'tickets' | 'settings'>; label: string }[] = [
  { tab: 'overview', label: 'Overview' },
  { tab: 'volume', label: 'Volume' },
  { tab: 'response-times', label: 'Response times' },
  { tab: 'resolution', label: 'Resolution' },
  { tab: 'sla', label: 'SLA' },
  { tab: 'satisfaction', label: 'Satisfaction' },
  { tab: 'agents', label: 'Agents' },
];

const PRESETS = [
  { key: '7', label: 'Last 7 days', days: 7 },
  { key: '30', label: 'Last 30 days', days: 30 },
  { key: '90', label: 'Last 90 days', days: 90 },
  { key: '365', label: 'Last 12 months', days: 365 },
];

/** Filters and period: everything but the drill-down's own fields. */
export const FILTER_KEYS = ['from', 'to', 'teamId', 'agentId', 'mailboxId', 'tagId', 'priority', 'plan', 'cycle'] as const;

const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** `#/reports`: the tabs share one period and one set of filters, kept in the URL so a link shows the same figures. */
export function ReportsSection({ route, user }: { route: ReportsRoute; user: UserDto }) {
  useReportsLiveUpdates();
  const params = route.params;
  const filters = Object.fromEntries(FILTER_KEYS.flatMap((key) => (params[key] ? [[key, params[key]]] : [])));
  const go = (tab: ReportTab, next: Record<string, string>) => navigate({ page: 'reports', tab, params: next });
  const setFilter = (key: string, value: string) => go(route.tab, { ...params, [key]: value });
  // Every number and bar opens its tickets in the inbox, as a view with a banner leading back here.
  const drill = (drillParams: Record<string, string>) => navigate(drillRoute(route.tab, { ...filters, ...drillParams }));
  useEffect(() => {
    // `#/reports/tickets?metric=…` (links shared before drill-downs moved to the inbox) opens the inbox view.
    if (route.tab === 'tickets') navigate(drillRoute('overview', params), { replace: true });
  }, [route.tab, params]);
  const exportTable = route.tab === 'overview' || route.tab === 'tickets' || route.tab === 'settings' ? null : route.tab;
  const mayConfigure = user.role === 'lead' || user.role === 'admin';
  return (
    <div className="app-shell">
      <AppHeader user={user} />
      <main className="page reports">
        <div className="reports__heading">
          <h1>Reports</h1>
          {exportTable && (
            <a className="button button--small" href={exportUrl(exportTable, filters)} download data-testid="export-csv">
              Export CSV
            </a>
          )}
          <a className="button button--small button--quiet" href={exportUrl('tickets', filters)} download>
            Per-ticket CSV
          </a>
        </div>
        <nav className="reports__tabs" aria-label="Reports">
          {TABS.map(({ tab, label }) => (
            <a key={tab} href={routeHref({ page: 'reports', tab, params: filters })} aria-current={route.tab === tab ? 'page' : undefined}>
              {label}
            </a>
          ))}
          {mayConfigure && (
            <a href={routeHref({ page: 'reports', tab: 'settings', params: filters })} aria-current={route.tab === 'settings' ? 'page' : undefined} className="reports__tab-settings">
              Settings
            </a>
          )}
        </nav>
        {route.tab === 'settings' ? (
          mayConfigure && <ReportSettingsForm />
        ) : (
          <FilterBar params={params} user={user} onChange={setFilter} onPeriod={(from, to) => go(route.tab, { ...params, from, to })} />
        )}
        {route.tab === 'overview' && <OverviewReport params={filters} onDrill={drill} />}
        {route.tab === 'volume' && <VolumeReport params={filters} onDrill={drill} />}
        {route.tab === 'response-times' && <ResponseTimesReport params={filters} onDrill={drill} />}
        {route.tab === 'resolution' && <ResolutionReport params={filters} onDrill={drill} />}
        {route.tab === 'sla' && <SlaReport params={filters} onDrill={drill} />}
        {route.tab === 'satisfaction' && <SatisfactionReport params={filters} user={user} onDrill={drill} />}
        {route.tab === 'agents' && <AgentsReport params={filters} user={user} onDrill={drill} />}
      </main>
    </div>
  );
}

function FilterBar({ params, user, onChange, onPeriod }: { params: Record<string, string>; user: UserDto; onChange: (key: string, value: string) => void; onPeriod: (from: string, to: string) => void }) {
  const { data: teams = [] } = useTeams();
  const { data: users = [] } = useUsers();
  const { data: tags = [] } = useTags();
  const { data: mailboxes = [] } = useMailboxOptions();
  const preset = (days: number) => {
    const to = new Date();
    onPeriod(isoDay(new Date(to.getTime() - (days - 1) * 86_400_000)), isoDay(to));
  };
  const [wide] = useState(() => window.matchMedia('(min-width: 641px)').matches);
  const activeFilters = FILTER_KEYS.filter((key) => key !== 'from' && key !== 'to' && params[key]).length;
  const activePreset = PRESETS.find((candidate) => params.from && params.to && Math.round((Date.parse(params.to) - Date.parse(params.from)) / 86_400_000) + 1 === candidate.days && params.to === isoDay(new Date()));
  return (
    <div className="reports__filters" role="group" aria-label="Period and filters">
      <div className="reports__presets">
        {PRESETS.map((candidate) => (
          <button
            key={candidate.key}
            type="button"
            className={`button button--small${(activePreset?.key ?? (params.from ? null : '30')) === candidate.key ? ' button--primary' : ''}`}
            onClick={() => preset(candidate.days)}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      {/* On a phone the custom period and the filters fold away behind one line, so the figures come first. */}
      <details className="reports__more" open={wide}>
        <summary>
          Custom period and filters{activeFilters > 0 ? ` (${activeFilters} on)` : ''}
        </summary>
        <div className="reports__more-fields">
          <label className="reports__filter">
            <span>From</span>
            <input type="date" value={params.from ?? isoDay(new Date(Date.now() - 29 * 86_400_000))} onChange={(event) => onChange('from', event.target.value)} aria-label="From" />
          </label>
          <label className="reports__filter">
            <span>To</span>
            <input type="date" value={params.to ?? isoDay(new Date())} onChange={(event) => onChange('to', event.target.value)} aria-label="To" />
          </label>
          <Select label="Team" value={params.teamId} onChange={(value) => onChange('teamId', value)} options={teams.map((team) => [team.id, team.name])} />
          {user.role !== 'agent' && <Select label="Agent" value={params.agentId} onChange={(value) => onChange('agentId', value)} options={users.map((person) => [person.id, person.name || person.email])} />}
          {mailboxes.length > 0 && <Select label="Mailbox" value={params.mailboxId} onChange={(value) => onChange('mailboxId', value)} options={mailboxes.map((mailbox) => [mailbox.id, mailbox.name])} />}
          <Select label="Tag" value={params.tagId} onChange={(value) => onChange('tagId', value)} options={tags.map((tag) => [tag.id, tag.name])} />
          <Select label="Priority" value={params.priority} onChange={(value) => onChange('priority', value)} options={['low', 'normal', 'high', 'urgent'].map((priority) => [priority, priority])} />
          <label className="reports__filter">
            <span>Plan</span>
            <input type="text" defaultValue={params.plan ?? ''} placeholder="Any" onBlur={(event) => onChange('plan', event.target.value.trim())} aria-label="Plan" />
          </label>
          <Select label="Customers" value={params.cycle} onChange={(value) => onChange('cycle', value)} options={[['first', 'In their first cycle'], ['other', 'Past their first cycle']]} />
        </div>
      </details>
    </div>
  );
}

function Select({ label, value, onChange, options }: { label: string; value: string | undefined; onChange: (value: string) => void; options: [string, string][] }) {
  return (
    <label className="reports__filter">
      <span>{label}</span>
      <select value={value ?? ''} onChange={(event) => onChange(event.target.value)} aria-label={label}>
        <option value="">All</option>
        {options.map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
