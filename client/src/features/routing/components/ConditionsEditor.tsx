import { NUMBER_OPERATORS, TEXT_FIELDS, TEXT_OPERATORS, type RuleCondition } from '../../../../../contracts/automation';
import { SUBSCRIPTION_STATUSES, TICKET_PRIORITIES } from '../../../../../contracts/domain';
import type { CalendarDto } from '../../../../../contracts/sla';
import type { MailboxOptionDto } from '../../../../../contracts/mail';

type Field = RuleCondition['field'];

const FIELD_LABELS: Record<Field, string> = {
  mailbox: 'Mailbox',
  from_address: 'From address',
  from_domain: 'From domain',
  recipients: 'To or Cc',
  subject: 'Subject',
  body: 'Body',
  customer_tier: 'Customer tier (plan)',
  customer_subscription_status: 'Subscription status',
  customer_cycle: 'Subscription cycle',
  tags: 'Tags',
  priority: 'Priority',
  business_hours: 'Business hours',
};

const OPERATOR_LABELS: Record<string, string> = {
  equals: 'is',
  not_equals: 'is not',
  contains: 'contains',
  not_contains: 'does not contain',
  matches: 'matches pattern',
  not_matches: 'does not match pattern',
  in: 'is one of',
  not_in: 'is none of',
  eq: '=',
  neq: '≠',
  lt: '<',
  lte: '≤',
  gt: '>',
  gte: '≥',
  has_any: 'has any of',
  has_all: 'has all of',
  has_none: 'has none of',
  inside: 'inside',
  outside: 'outside',
};

function newCondition(field: Field): RuleCondition {
  switch (field) {
    case 'mailbox':
      return { field, operator: 'in', value: [] };
    case 'customer_subscription_status':
      return { field, operator: 'in', value: ['active'] };
    case 'customer_cycle':
      return { field, operator: 'eq', value: 1 };
    case 'tags':
      return { field, operator: 'has_any', value: [] };
    case 'priority':
      return { field, operator: 'in', value: ['urgent'] };
    case 'business_hours':
      return { field, operator: 'outside', value: '' };
    default:
      return { field, operator: 'contains', value: '' };
  }
}

const listOf = (text: string) =>
  text
    .split(',')
    .map((item) => item.trim())
    .filter(Boolean);

function Options({ values, labels }: { values: readonly string[]; labels?: (value: string) => string }) {
  return values.map((value) => (
    <option key={value} value={value}>
      {labels ? labels(value) : value}
    </option>
  ));
}

/** Several choices from a fixed list, as a multi-select. */
function MultiSelect({ label, values, options, onChange }: { label: string; values: string[]; options: { value: string; label: string }[]; onChange: (values: string[]) => void }) {
  return (
    <select multiple aria-label={label} value={values} onChange={(event) => onChange([...event.target.selectedOptions].map((option) => option.value))}>
      {options.map((option) => (
        <option key={option.value} value={option.value}>
          {option.label}
        </option>
      ))}
    </select>
  );
}

function ConditionRow({ condition, onChange, mailboxes, calendars }: { condition: RuleCondition; onChange: (condition: RuleCondition) => void; mailboxes: MailboxOptionDto[]; calendars: CalendarDto[] }) {
  const operator = (operators: readonly string[]) => (
    <select aria-label="Operator" value={condition.operator} onChange={(event) => onChange({ ...condition, operator: event.target.value } as RuleCondition)}>
      <Options values={operators} labels={(value) => OPERATOR_LABELS[value]} />
    </select>
  );
  switch (condition.field) {
    case 'mailbox':
      return (
        <>
          {operator(['in', 'not_in'])}
          <MultiSelect label="Mailboxes" values={condition.value} options={mailboxes.map((mailbox) => ({ value: mailbox.id, label: mailbox.name }))} onChange={(value) => onChange({ ...condition, value })} />
        </>
      );
    case 'customer_subscription_status':
      return (
        <>
          {operator(['in', 'not_in'])}
          <MultiSelect label="Statuses" values={condition.value} options={SUBSCRIPTION_STATUSES.map((status) => ({ value: status, label: status }))} onChange={(value) => onChange({ ...condition, value: value as typeof condition.value })} />
        </>
      );
    case 'priority':
      return (
        <>
          {operator(['in', 'not_in'])}
          <MultiSelect label="Priorities" values={condition.value} options={TICKET_PRIORITIES.map((priority) => ({ value: priority, label: priority }))} onChange={(value) => onChange({ ...condition, value: value as typeof condition.value })} />
        </>
      );
    case 'customer_cycle':
      return (
        <>
          {operator(NUMBER_OPERATORS)}
          <input type="number" min={0} aria-label="Cycle" value={condition.value} onChange={(event) => onChange({ ...condition, value: Number(event.target.value) })} />
        </>
      );
    case 'tags':
      return (
        <>
          {operator(['has_any', 'has_all', 'has_none'])}
          <input aria-label="Tags" placeholder="tag, another tag" defaultValue={condition.value.join(', ')} onBlur={(event) => onChange({ ...condition, value: listOf(event.target.value.toLowerCase()) })} />
        </>
      );
    case 'business_hours':
      return (
        <>
          {operator(['inside', 'outside'])}
          <select aria-label="Calendar" value={condition.value} onChange={(event) => onChange({ ...condition, value: event.target.value })}>
            <option value="">Choose a calendar…</option>
            {calendars.map((calendar) => (
              <option key={calendar.id} value={calendar.id}>
                {calendar.name}
              </option>
            ))}
          </select>
        </>
      );
    default:
      return (
        <>
          {operator(TEXT_OPERATORS)}
          <input aria-label="Value" value={condition.value} onChange={(event) => onChange({ ...condition, value: event.target.value })} data-testid="condition-value" />
        </>
      );
  }
}

const FIELDS: Field[] = ['mailbox', ...TEXT_FIELDS, 'customer_subscription_status', 'customer_cycle', 'tags', 'priority', 'business_hours'];

export function ConditionsEditor(props: { conditions: RuleCondition[]; onChange: (conditions: RuleCondition[]) => void; mailboxes: MailboxOptionDto[]; calendars: CalendarDto[] }) {
  const { conditions, onChange } = props;
  const replace = (index: number, condition: RuleCondition) => onChange(conditions.map((current, other) => (other === index ? condition : current)));
  return (
    <div className="automation__list" data-testid="conditions-editor">
      {conditions.map((condition, index) => (
        <div key={index} className="automation__row" data-testid="condition-row">
          <select aria-label="Field" value={condition.field} onChange={(event) => replace(index, newCondition(event.target.value as Field))} data-testid="condition-field">
            {FIELDS.map((field) => (
              <option key={field} value={field}>
                {FIELD_LABELS[field]}
              </option>
            ))}
          </select>
          <ConditionRow key={condition.field} condition={condition} onChange={(changed) => replace(index, changed)} mailboxes={props.mailboxes} calendars={props.calendars} />
          <button type="button" className="button button--small" aria-label="Remove condition" onClick={() => onChange(conditions.filter((_, other) => other !== index))}>
            ×
          </button>
        </div>
      ))}
      <button type="button" className="button button--small" onClick={() => onChange([...conditions, newCondition('subject')])} data-testid="add-condition">
        Add condition
      </button>
    </div>
  );
}
