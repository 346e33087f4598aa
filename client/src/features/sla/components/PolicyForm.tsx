import { useState } from 'react';
import { TICKET_PRIORITIES, type TicketPriority } from '../../../../../contracts/domain';
import {
  SLA_PAUSE_STATUSES,
  type CalendarDto,
  type CreatePolicyRequest,
  type SlaPolicyDto,
  type SlaTargetMinutes,
  type SlaTargetsByPriority,
} from '../../../../../contracts/sla';
import { errorMessage } from '../../../api/client';
import { useTeams } from '../../workspace/hooks/useWorkspace';
import { createPolicy, deletePolicy, updatePolicy } from '../api/sla.api';
import { useSlaChange } from '../hooks/useSla';
import { TargetInput } from './TargetInput';

const TARGET_FIELDS: { field: keyof SlaTargetMinutes; label: string }[] = [
  { field: 'firstReply', label: 'First reply' },
  { field: 'nextReply', label: 'Next reply' },
  { field: 'resolution', label: 'Resolution' },
];

type Draft = Required<Omit<CreatePolicyRequest, 'targets'>> & { targets: SlaTargetsByPriority };

function draftOf(policy: SlaPolicyDto | null): Draft {
  return {
    name: policy?.name ?? '',
    isActive: policy?.isActive ?? true,
    conditions: policy?.conditions ?? {},
    targets: policy?.targets ?? { normal: { firstReply: 240, resolution: 2400 } },
    calendarId: policy?.calendarId ?? null,
    pauseStatuses: policy?.pauseStatuses ?? ['pending', 'on_hold'],
    warning: policy ? policy.warning : { minutesBefore: 15 },
    escalation: policy?.escalation ?? { notifyLead: true, raisePriority: false, reassignTeamId: null },
  };
}

const numberOrUndefined = (text: string) => (text.trim() === '' ? undefined : Number(text));
const listOrUndefined = <T,>(items: T[]) => (items.length ? items : undefined);

/** Edits one policy: when it applies, its targets per priority (in hours or days), pausing, warning and escalation. */
export function PolicyForm({ policy, calendars, onDone }: { policy: SlaPolicyDto | null; calendars: CalendarDto[]; onDone: () => void }) {
  const [draft, setDraft] = useState(() => draftOf(policy));
  const teams = useTeams().data ?? [];
  const save = useSlaChange((value: Draft) => (policy ? updatePolicy(policy.id, value) : createPolicy(value)));
  const remove = useSlaChange(deletePolicy);
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const setTarget = (priority: TicketPriority, field: keyof SlaTargetMinutes, minutes: number | undefined) =>
    setDraft((current) => ({ ...current, targets: { ...current.targets, [priority]: { ...current.targets[priority], [field]: minutes } } }));
  const togglePriority = (priority: TicketPriority, on: boolean) => {
    const priorities = (draft.conditions.priorities ?? []).filter((entry) => entry !== priority);
    set({ conditions: { ...draft.conditions, priorities: listOrUndefined(on ? [...priorities, priority] : priorities) } });
  };

  return (
    <form
      className="sla-form"
      onSubmit={(event) => {
        event.preventDefault();
        const warned = draft.warning?.minutesBefore !== undefined || draft.warning?.percentElapsed !== undefined;
        save.mutate({ ...draft, warning: warned ? draft.warning : null }, { onSuccess: onDone });
      }}
    >
      <label className="sla-form__field">
        Name <input value={draft.name} onChange={(event) => set({ name: event.target.value })} required />
      </label>
      <label className="sla-form__check">
        <input type="checkbox" checked={draft.isActive} onChange={(event) => set({ isActive: event.target.checked })} /> Active
      </label>

      <fieldset>
        <legend>Applies to (empty: every ticket)</legend>
        <div className="sla-form__row">
          {TICKET_PRIORITIES.map((priority) => (
            <label key={priority} className="sla-form__check">
              <input type="checkbox" checked={draft.conditions.priorities?.includes(priority) ?? false} onChange={(event) => togglePriority(priority, event.target.checked)} /> {priority}
            </label>
          ))}
        </div>
        <label className="sla-form__field">
          Teams
          <select
            multiple
            value={draft.conditions.teamIds ?? []}
            onChange={(event) => set({ conditions: { ...draft.conditions, teamIds: listOrUndefined([...event.target.selectedOptions].map((option) => option.value)) } })}
          >
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
        <label className="sla-form__field">
          Any of the tags
          <input
            value={(draft.conditions.tags ?? []).join(', ')}
            placeholder="vip, billing"
            onChange={(event) => set({ conditions: { ...draft.conditions, tags: listOrUndefined(event.target.value.split(',').map((tag) => tag.trim()).filter(Boolean)) } })}
          />
        </label>
        <label className="sla-form__field">
          Customer plans
          <input
            value={(draft.conditions.customerPlans ?? []).join(', ')}
            placeholder="enterprise"
            onChange={(event) => set({ conditions: { ...draft.conditions, customerPlans: listOrUndefined(event.target.value.split(',').map((plan) => plan.trim()).filter(Boolean)) } })}
          />
        </label>
      </fieldset>

      <fieldset>
        <legend>Targets in hours or days (empty: none)</legend>
        <div className="sla-form__scroll">
        <table className="sla-form__targets">
          <thead>
            <tr>
              <th scope="col">Priority</th>
              {TARGET_FIELDS.map(({ field, label }) => (
                <th key={field} scope="col">
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {TICKET_PRIORITIES.map((priority) => (
              <tr key={priority}>
                <th scope="row">{priority}</th>
                {TARGET_FIELDS.map(({ field, label }) => (
                  <td key={field}>
                    <TargetInput minutes={draft.targets[priority]?.[field]} label={`${label}, ${priority}`} onChange={(minutes) => setTarget(priority, field, minutes)} />
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
        </div>
        <label className="sla-form__field">
          Counted in
          <select value={draft.calendarId ?? ''} onChange={(event) => set({ calendarId: event.target.value || null })}>
            <option value="">Calendar hours (always open)</option>
            {calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                Business hours: {calendar.name}
              </option>
            ))}
          </select>
        </label>
        <div className="sla-form__row">
          Pause while
          {SLA_PAUSE_STATUSES.map((status) => (
            <label key={status} className="sla-form__check">
              <input
                type="checkbox"
                checked={draft.pauseStatuses.includes(status)}
                onChange={(event) =>
                  set({ pauseStatuses: event.target.checked ? [...draft.pauseStatuses, status] : draft.pauseStatuses.filter((entry) => entry !== status) })
                }
              />{' '}
              {status.replace('_', ' ')}
            </label>
          ))}
        </div>
      </fieldset>

      <fieldset>
        <legend>Warning and escalation</legend>
        <div className="sla-form__row">
          <label className="sla-form__field">
            Warn minutes before
            <input
              type="number"
              min={1}
              value={draft.warning?.minutesBefore ?? ''}
              onChange={(event) => set({ warning: { ...draft.warning, minutesBefore: numberOrUndefined(event.target.value) } })}
            />
          </label>
          <label className="sla-form__field">
            or at % used
            <input
              type="number"
              min={1}
              max={99}
              value={draft.warning?.percentElapsed ?? ''}
              onChange={(event) => set({ warning: { ...draft.warning, percentElapsed: numberOrUndefined(event.target.value) } })}
            />
          </label>
        </div>
        <label className="sla-form__check">
          <input type="checkbox" checked={draft.escalation.notifyLead} onChange={(event) => set({ escalation: { ...draft.escalation, notifyLead: event.target.checked } })} /> Notify
          the team lead on breach
        </label>
        <label className="sla-form__check">
          <input type="checkbox" checked={draft.escalation.raisePriority} onChange={(event) => set({ escalation: { ...draft.escalation, raisePriority: event.target.checked } })} />{' '}
          Raise the priority on breach
        </label>
        <label className="sla-form__field">
          Reassign on breach to
          <select
            value={draft.escalation.reassignTeamId ?? ''}
            onChange={(event) => set({ escalation: { ...draft.escalation, reassignTeamId: event.target.value || null } })}
          >
            <option value="">Nobody (keep the team)</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </label>
      </fieldset>

      {(save.error ?? remove.error) && (
        <p className="form-error" role="alert">
          {errorMessage(save.error ?? remove.error)}
        </p>
      )}
      <div className="sla-form__actions">
        <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="policy-save">
          {policy ? 'Save policy' : 'Add policy'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        {policy && (
          <button type="button" className="button button--danger" onClick={() => remove.mutate(policy.id, { onSuccess: onDone })}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}
