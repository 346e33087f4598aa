import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import type { CalendarDto, SlaPolicyDto } from '../../../../../contracts/sla';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { reorderPolicies } from '../api/sla.api';
import { useCalendars, usePolicies, useSlaChange } from '../hooks/useSla';
import { formatMinutes } from '../slaFormat';
import { CalendarForm } from './CalendarForm';
import { PolicyForm } from './PolicyForm';

/** Which form is open: a policy or calendar by id, or a new one. */
type Editing = { kind: 'policy' | 'calendar'; id: string | null } | null;

/** The lead's SLA settings: the ordered policies (the first that matches a ticket applies) and business calendars. */
export function SlaSettingsPage({ user }: { user: UserDto }) {
  const policies = usePolicies();
  const calendars = useCalendars();
  const [editing, setEditing] = useState<Editing>(null);
  const reorder = useSlaChange(reorderPolicies);
  const canEdit = user.role === 'lead' || user.role === 'admin';

  if (policies.isError || calendars.isError) return <ErrorNotice error={policies.error ?? calendars.error} onRetry={() => void Promise.all([policies.refetch(), calendars.refetch()])} />;
  if (!policies.data || !calendars.data) return <p className="muted">Loading SLA settings…</p>;
  const calendarList = calendars.data;
  const policyList = policies.data;
  const calendarName = (policy: SlaPolicyDto) => calendarList.find((calendar) => calendar.id === policy.calendarId)?.name ?? 'calendar hours';
  const move = (index: number, by: -1 | 1) => {
    const ids = policyList.map((policy) => policy.id);
    [ids[index], ids[index + by]] = [ids[index + by], ids[index]];
    reorder.mutate(ids);
  };
  const close = () => setEditing(null);

  return (
    <div className="sla-settings" data-testid="sla-settings">
      <section aria-labelledby="sla-policies">
        <h1 id="sla-policies">SLA policies</h1>
        <p className="muted">The first active policy whose conditions match a ticket applies.</p>
        <ol className="sla-list">
          {policyList.map((policy, index) =>
            editing?.kind === 'policy' && editing.id === policy.id ? (
              <li key={policy.id}>
                <PolicyForm policy={policy} calendars={calendarList} onDone={close} />
              </li>
            ) : (
              <li key={policy.id} className="sla-list__item">
                <strong>{policy.name}</strong>
                {!policy.isActive && <span className="muted"> (inactive)</span>}
                <span className="muted"> · {calendarName(policy)} · </span>
                <PolicyTargets policy={policy} />
                {canEdit && (
                  <span className="sla-list__actions">
                    <button type="button" aria-label={`Move ${policy.name} up`} disabled={index === 0 || reorder.isPending} onClick={() => move(index, -1)}>
                      ↑
                    </button>
                    <button type="button" aria-label={`Move ${policy.name} down`} disabled={index === policyList.length - 1 || reorder.isPending} onClick={() => move(index, 1)}>
                      ↓
                    </button>
                    <button type="button" onClick={() => setEditing({ kind: 'policy', id: policy.id })}>
                      Edit
                    </button>
                  </span>
                )}
              </li>
            ),
          )}
        </ol>
        {canEdit &&
          (editing?.kind === 'policy' && editing.id === null ? (
            <PolicyForm policy={null} calendars={calendarList} onDone={close} />
          ) : (
            <button type="button" onClick={() => setEditing({ kind: 'policy', id: null })}>
              Add policy
            </button>
          ))}
      </section>

      <section aria-labelledby="sla-calendars">
        <h1 id="sla-calendars">Business calendars</h1>
        <ul className="sla-list">
          {calendarList.map((calendar) =>
            editing?.kind === 'calendar' && editing.id === calendar.id ? (
              <li key={calendar.id}>
                <CalendarForm calendar={calendar} onDone={close} />
              </li>
            ) : (
              <li key={calendar.id} className="sla-list__item">
                <strong>{calendar.name}</strong> <span className="muted">· {calendar.timeZone} · </span>
                <CalendarSummary calendar={calendar} />
                {canEdit && (
                  <span className="sla-list__actions">
                    <button type="button" onClick={() => setEditing({ kind: 'calendar', id: calendar.id })}>
                      Edit
                    </button>
                  </span>
                )}
              </li>
            ),
          )}
        </ul>
        {canEdit &&
          (editing?.kind === 'calendar' && editing.id === null ? (
            <CalendarForm calendar={null} onDone={close} />
          ) : (
            <button type="button" onClick={() => setEditing({ kind: 'calendar', id: null })}>
              Add calendar
            </button>
          ))}
      </section>
    </div>
  );
}

function PolicyTargets({ policy }: { policy: SlaPolicyDto }) {
  const entries = Object.entries(policy.targets).filter(([, minutes]) => minutes && Object.keys(minutes).length);
  if (entries.length === 0) return <span className="muted">no targets</span>;
  return (
    <span>
      {entries
        .map(([priority, minutes]) =>
          [
            `${priority}:`,
            minutes?.firstReply && `first reply ${formatMinutes(minutes.firstReply)}`,
            minutes?.nextReply && `next ${formatMinutes(minutes.nextReply)}`,
            minutes?.resolution && `resolve ${formatMinutes(minutes.resolution)}`,
          ]
            .filter(Boolean)
            .join(' '),
        )
        .join(' · ')}
    </span>
  );
}

function CalendarSummary({ calendar }: { calendar: CalendarDto }) {
  const monday = calendar.weekly[1].map((interval) => `${interval.start}–${interval.end}`).join(', ') || 'closed';
  const openDays = Object.values(calendar.weekly).filter((intervals) => intervals.length).length;
  return (
    <span>
      {openDays} days a week, Monday {monday}
      {calendar.holidays.length > 0 && ` · ${calendar.holidays.length} holidays`}
    </span>
  );
}
