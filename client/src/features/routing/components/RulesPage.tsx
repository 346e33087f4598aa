import { useState, type DragEvent } from 'react';
import type { RuleDto } from '../../../../../contracts/automation';
import { ErrorNotice } from '../../../components/ErrorNotice';
import { reorderRules } from '../api/routing.api';
import { useRuleChange, useRules } from '../hooks/useRules';
import { RuleForm } from './RuleForm';
import '../../macros/automation.css';

function moved(rules: RuleDto[], fromId: string, toId: string): string[] {
  const ids = rules.map((rule) => rule.id).filter((id) => id !== fromId);
  ids.splice(ids.indexOf(toId), 0, fromId);
  return ids;
}

function describeWhen(rule: RuleDto): string {
  const time = rule.timeCondition;
  if (!time) return rule.triggers.map((trigger) => (trigger === 'ticket_created' ? 'new ticket' : 'customer writes')).join(', ') || 'never';
  if (time.type === 'pending_for') return `pending ${time.days} days`;
  return `${time.type === 'unassigned_for' ? 'unassigned' : 'no reply'} ${time.minutes} min`;
}

/** The ordered routing rules (drag to reorder: the first rule runs first) and their editor. */
export function RulesPage() {
  const rules = useRules();
  const reorder = useRuleChange(reorderRules);
  /** The id of the item being edited, or 'new'. */
  const [editing, setEditing] = useState<string | null>(null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);

  const drop = (event: DragEvent, targetId: string) => {
    event.preventDefault();
    if (rules.data && dragged && dragged !== targetId) reorder.mutate(moved(rules.data, dragged, targetId));
    setDragged(null);
    setOver(null);
  };

  return (
    <div className="automation" data-testid="rules-page">
      <h1>Routing rules</h1>
      <p className="muted">Rules run in this order on new tickets and customer messages; drag a rule to move it. Time-based rules run once a minute.</p>
      <div>
        <button type="button" className="button button--primary" onClick={() => setEditing('new')} data-testid="rule-new">
          New rule
        </button>
      </div>
      {editing === 'new' && <RuleForm rule={null} onDone={() => setEditing(null)} />}
      {rules.isError && <ErrorNotice error={rules.error} onRetry={() => void rules.refetch()} />}
      {reorder.isError && <ErrorNotice error={reorder.error} />}
      <ol className="automation__items" aria-label="Rules in order">
        {(rules.data ?? []).map((rule) =>
          editing === rule.id ? (
            <li key={rule.id}>
              <RuleForm rule={rule} onDone={() => setEditing(null)} />
            </li>
          ) : (
            <li
              key={rule.id}
              className={over === rule.id ? 'automation__item automation__item--drop-target' : 'automation__item'}
              draggable
              onDragStart={(event) => {
                event.dataTransfer.effectAllowed = 'move';
                setDragged(rule.id);
              }}
              onDragOver={(event) => {
                event.preventDefault();
                setOver(rule.id);
              }}
              onDragLeave={() => setOver(null)}
              onDrop={(event) => drop(event, rule.id)}
              data-testid="rule-item"
            >
              <span className="automation__handle" aria-hidden="true">
                ⠿
              </span>
              <strong>{rule.name}</strong>
              <span className="muted">
                · {describeWhen(rule)} · {rule.conditions.length} condition{rule.conditions.length === 1 ? '' : 's'} · {rule.actions.length} action{rule.actions.length === 1 ? '' : 's'}
                {rule.stopProcessing && ' · stops'}
                {!rule.isActive && ' · inactive'}
              </span>
              <button type="button" className="button button--small" onClick={() => setEditing(rule.id)}>
                Edit
              </button>
            </li>
          ),
        )}
      </ol>
      {rules.data?.length === 0 && <p className="muted">No rules yet: new tickets stay where they arrive.</p>}
    </div>
  );
}
