import { useState } from 'react';
import { RULE_TRIGGERS, type CreateRuleRequest, type RuleAction, type RuleDto, type RuleTrigger, type TimeCondition } from '../../../../../contracts/automation';
import { errorMessage } from '../../../api/client';
import { formatDateTime } from '../../../lib/format';
import { ActionsEditor, TICKET_ACTION_TYPES } from '../../macros/components/ActionsEditor';
import { useCalendars } from '../../sla/hooks/useSla';
import { STATUS_LABELS } from '../../tickets/ticketLabels';
import { createRule, deleteRule, updateRule } from '../api/routing.api';
import { useDryRun, useRuleChange } from '../hooks/useRules';
import { useMailboxOptions } from '../../workspace/hooks/useWorkspace';
import { ConditionsEditor } from './ConditionsEditor';

type Draft = Required<CreateRuleRequest> & { actions: RuleAction[] };
const ACTION_TYPES: RuleAction['type'][] = [...TICKET_ACTION_TYPES, 'assign_agent', 'apply_macro', 'send_auto_reply'];
const TRIGGER_LABELS: Record<RuleTrigger, string> = { ticket_created: 'a ticket is created', inbound_message: 'the customer writes again' };
const TIME_LABELS: Record<TimeCondition['type'], string> = {
  unassigned_for: 'unassigned for (minutes)',
  no_agent_reply_for: 'no agent reply for (business minutes)',
  pending_for: 'pending for (days)',
};

function newTimeCondition(type: TimeCondition['type']): TimeCondition {
  if (type === 'pending_for') return { type, days: 7 };
  if (type === 'no_agent_reply_for') return { type, minutes: 240, calendarId: null };
  return { type, minutes: 30 };
}

/** Builds a rule: when it runs, its conditions (all or any), its actions; a dry run shows what it would match. */
export function RuleForm({ rule, onDone }: { rule: RuleDto | null; onDone: () => void }) {
  const [draft, setDraft] = useState<Draft>(() => ({
    name: rule?.name ?? '',
    isActive: rule?.isActive ?? true,
    triggers: rule?.triggers ?? ['ticket_created'],
    timeCondition: rule?.timeCondition ?? null,
    match: rule?.match ?? 'all',
    conditions: rule?.conditions ?? [],
    actions: rule?.actions ?? [{ type: 'add_tags', tags: [] }],
    stopProcessing: rule?.stopProcessing ?? false,
  }));
  const calendars = useCalendars().data ?? [];
  const mailboxes = useMailboxOptions().data ?? [];
  const save = useRuleChange((value: Draft) => (rule ? updateRule({ id: rule.id, changes: value }) : createRule(value)));
  const remove = useRuleChange(deleteRule);
  const dryRun = useDryRun();
  const set = (changes: Partial<Draft>) => setDraft((current) => ({ ...current, ...changes }));
  const toggleTrigger = (trigger: RuleTrigger, on: boolean) => set({ triggers: on ? [...draft.triggers, trigger] : draft.triggers.filter((entry) => entry !== trigger) });
  const timeAmount = draft.timeCondition && (draft.timeCondition.type === 'pending_for' ? draft.timeCondition.days : draft.timeCondition.minutes);

  return (
    <form
      className="automation__form"
      data-testid="rule-form"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate(draft, { onSuccess: onDone });
      }}
    >
      <div className="automation__inline">
        <label className="field">
          <span className="field__label">Name</span>
          <input value={draft.name} onChange={(event) => set({ name: event.target.value })} required data-testid="rule-name" />
        </label>
        <label>
          <input type="checkbox" checked={draft.isActive} onChange={(event) => set({ isActive: event.target.checked })} /> Active
        </label>
      </div>

      <fieldset className="automation__list">
        <legend>When</legend>
        <label>
          <input type="radio" name="rule-kind" checked={!draft.timeCondition} onChange={() => set({ timeCondition: null })} /> On events:
        </label>
        {!draft.timeCondition &&
          RULE_TRIGGERS.map((trigger) => (
            <label key={trigger}>
              <input type="checkbox" checked={draft.triggers.includes(trigger)} onChange={(event) => toggleTrigger(trigger, event.target.checked)} /> {TRIGGER_LABELS[trigger]}
            </label>
          ))}
        <label>
          <input type="radio" name="rule-kind" checked={Boolean(draft.timeCondition)} onChange={() => set({ timeCondition: newTimeCondition('unassigned_for') })} /> After time: the ticket is
        </label>
        {draft.timeCondition && (
          <div className="automation__row">
            <select aria-label="Time condition" value={draft.timeCondition.type} onChange={(event) => set({ timeCondition: newTimeCondition(event.target.value as TimeCondition['type']) })}>
              {Object.entries(TIME_LABELS).map(([type, label]) => (
                <option key={type} value={type}>
                  {label}
                </option>
              ))}
            </select>
            <input
              type="number"
              min={1}
              aria-label="Amount"
              value={timeAmount ?? 1}
              onChange={(event) => {
                const amount = Number(event.target.value);
                const current = draft.timeCondition as TimeCondition;
                set({ timeCondition: current.type === 'pending_for' ? { ...current, days: amount } : { ...current, minutes: amount } });
              }}
            />
            {draft.timeCondition.type === 'no_agent_reply_for' && (
              <select
                aria-label="Calendar"
                value={draft.timeCondition.calendarId ?? ''}
                onChange={(event) => set({ timeCondition: { type: 'no_agent_reply_for', minutes: timeAmount ?? 1, calendarId: event.target.value || null } })}
              >
                <option value="">calendar hours</option>
                {calendars.map((calendar) => (
                  <option key={calendar.id} value={calendar.id}>
                    {calendar.name}
                  </option>
                ))}
              </select>
            )}
          </div>
        )}
      </fieldset>

      <fieldset className="automation__list">
        <legend>
          If{' '}
          <select aria-label="Match" value={draft.match} onChange={(event) => set({ match: event.target.value as Draft['match'] })}>
            <option value="all">all</option>
            <option value="any">any</option>
          </select>{' '}
          of these hold (none: every ticket)
        </legend>
        <ConditionsEditor conditions={draft.conditions} onChange={(conditions) => set({ conditions })} mailboxes={mailboxes} calendars={calendars} />
      </fieldset>

      <ActionsEditor actions={draft.actions} types={ACTION_TYPES} onChange={(actions) => set({ actions })} />
      <label>
        <input type="checkbox" checked={draft.stopProcessing} onChange={(event) => set({ stopProcessing: event.target.checked })} /> Stop evaluating later rules when this one fires
      </label>

      {save.isError && <p className="form-error">{errorMessage(save.error)}</p>}
      <div className="automation__inline">
        <button type="submit" className="button button--primary" disabled={save.isPending} data-testid="rule-save">
          {save.isPending ? 'Saving…' : 'Save rule'}
        </button>
        <button type="button" className="button" disabled={dryRun.isPending} onClick={() => dryRun.mutate({ match: draft.match, conditions: draft.conditions })} data-testid="rule-dry-run">
          {dryRun.isPending ? 'Checking…' : 'Dry run'}
        </button>
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        {rule && (
          <button type="button" className="button button--danger" disabled={remove.isPending} onClick={() => remove.mutate(rule.id, { onSuccess: onDone })}>
            Delete
          </button>
        )}
      </div>
      {dryRun.isError && <p className="form-error">{errorMessage(dryRun.error)}</p>}
      {dryRun.data && (
        <section aria-label="Dry run" data-testid="dry-run-results">
          <p>
            Would have matched <strong>{dryRun.data.matches.length}</strong> of the last {dryRun.data.evaluated} tickets{draft.timeCondition && ' (conditions only, not the timing)'}.
          </p>
          <ul>
            {dryRun.data.matches.map((ticket) => (
              <li key={ticket.id}>
                #{ticket.number} {ticket.subject} <span className="muted">· {STATUS_LABELS[ticket.status]} · {formatDateTime(ticket.createdAt)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </form>
  );
}
