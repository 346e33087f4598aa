import { useState } from 'react';
import type { UserDto } from '../../../../../contracts/api';
import { TICKET_PRIORITIES } from '../../../../../contracts/domain';
import type { CalendarDto, SlaPolicyDto } from '../../../../../contracts/sla';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { reorderPolicies } from '../api/sla.api';
import { useCalendars, usePolicies, useSlaChange } from '../hooks/useSla';
import { formatTarget } from '../slaFormat';
import { PRIORITY_LABELS } from '../../tickets/ticketLabels';
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
                <span className="muted"> · {calendarName(policy)}</span>
                {canEdit && (
                  <span className="sla-list__actions">
                    <button type="button" className="button button--small" aria-label={`Move ${policy.name} up`} disabled={index === 0 || reorder.isPending} onClick={() => move(index, -1)}>
                      ↑
                    </button>
                    <button type="button" className="button button--small" aria-label={`Move ${policy.name} down`} disabled={index === policyList.length - 1 || reorder.isPending} onClick={() => move(index, 1)}>
                      ↓
                    </button>
                    <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'policy', id: policy.id })}>
                      Edit
                    </button>
                  </span>
                )}
                <PolicyTargets policy={policy} />
              </li>
            ),
          )}
        </ol>
        {canEdit &&
          (editing?.kind === 'policy' && editing.id === null ? (
            <PolicyForm policy={null} calendars={calendarList} onDone={close} />
          ) : (
            <button type="button" className="button button--primary" onClick={() => setEditing({ kind: 'policy', id: null })}>
              Add policy
            </button>
          ))}
      </section>

      <section aria-labelledby="sla-calendars">
        <h2 id="sla-calendars">Business hours</h2>
        <p className="muted">Opening hours and holidays; a policy counted in business hours pauses its clocks while closed.</p>
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
                    <button type="button" className="button button--small" onClick={() => setEditing({ kind: 'calendar', id: calendar.id })}>
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
            <button type="button" className="button button--primary" onClick={() => setEditing({ kind: 'calendar', id: null })} data-testid="sla-calendar-new">
              Add calendar
            </button>
          ))}
      </section>
    </div>
  );
}

/** A policy's targets as a small table: a row per priority, a column per kind. */
function PolicyTargets({ policy }: { policy: SlaPolicyDto }) {
  const rows = TICKET_PRIORITIES.flatMap((priority) => {
    const minutes = policy.targets[priority];
    return minutes && Object.keys(minutes).length ? [{ priority, minutes }] : [];
  });
  if (rows.length === 0) return <p className="muted">No targets.</p>;
  const cell = (value: number | undefined) => (value ? formatTarget(value) : '—');
  return (
    <table className="sla-targets-table">
      <thead>
        <tr>
          <th scope="col">Priority</th>
          <th scope="col">First reply</th>
          <th scope="col">Next reply</th>
          <th scope="col">Resolution</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ priority, minutes }) => (
          <tr key={priority}>
            <th scope="row">{PRIORITY_LABELS[priority]}</th>
            <td>{cell(minutes.firstReply)}</td>
            <td>{cell(minutes.nextReply)}</td>
            <td>{cell(minutes.resolution)}</td>
          </tr>
        ))}
      </tbody>
    </table>
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
