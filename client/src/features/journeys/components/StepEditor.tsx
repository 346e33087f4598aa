import { CONDITION_FIELDS, CONDITION_OPERATORS, type ConditionField, type ConditionOperator, type JourneyStep, type JourneyWait } from '../../../../../contracts/journeys';
import { TemplateInput } from './TemplateInput';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

const WAIT_DEFAULTS: Record<JourneyWait['mode'], JourneyWait> = {
  duration: { mode: 'duration', days: 1, hours: 0, minutes: 0 },
  until: { mode: 'until', weekdays: [1, 2, 3, 4, 5], fromHour: 9, toHour: 17 },
  before_renewal: { mode: 'before_renewal', days: 3 },
};

/** One template of a step: readable field chips in the simple view, the Liquid code in the code view. */
function TemplateField({ label, value, onChange, multiline = false, codeView }: { label: string; value: string; onChange: (value: string) => void; multiline?: boolean; codeView: boolean }) {
  if (!codeView) {
    return (
      <div className="field">
        <span className="field__label">{label}</span>
        <TemplateInput label={label} value={value} onChange={onChange} multiline={multiline} />
      </div>
    );
  }
  return (
    <label className="field">
      <span className="field__label">{label} (Liquid)</span>
      {multiline ? <textarea rows={6} value={value} onChange={(event) => onChange(event.target.value)} /> : <input value={value} onChange={(event) => onChange(event.target.value)} />}
    </label>
  );
}

/** The fields of one step; `later` are the ids a branch may jump to; `codeView` shows templates as Liquid code. */
export function StepEditor({ step, later, onChange, codeView }: { step: JourneyStep; later: string[]; onChange: (step: JourneyStep) => void; codeView: boolean }) {
  switch (step.type) {
    case 'email':
      return (
        <div className="step-editor">
          <TemplateField label="Subject" value={step.subject} onChange={(subject) => onChange({ ...step, subject })} codeView={codeView} />
          <TemplateField label="Body" value={step.body} onChange={(body) => onChange({ ...step, body })} multiline codeView={codeView} />
          <label>
            <input type="checkbox" checked={step.marketing} onChange={(event) => onChange({ ...step, marketing: event.target.checked })} /> Marketing-like (held back while the customer has an open ticket)
          </label>
        </div>
      );
    case 'wait':
      return (
        <div className="step-editor">
          <select aria-label="Wait for" value={step.wait.mode} onChange={(event) => onChange({ ...step, wait: WAIT_DEFAULTS[event.target.value as JourneyWait['mode']] })}>
            <option value="duration">a duration</option>
            <option value="until">until a weekday and hours</option>
            <option value="before_renewal">until days before the renewal</option>
          </select>
          <WaitFields wait={step.wait} onChange={(wait) => onChange({ ...step, wait })} />
        </div>
      );
    case 'branch':
      return (
        <div className="step-editor step-editor--row">
          If
          <select aria-label="Field" value={step.condition.field} onChange={(event) => onChange({ ...step, condition: { ...step.condition, field: event.target.value as ConditionField } })}>
            {CONDITION_FIELDS.map((field) => (
              <option key={field} value={field}>
                {field.replace(/_/g, ' ')}
              </option>
            ))}
          </select>
          <select aria-label="Comparison" value={step.condition.op} onChange={(event) => onChange({ ...step, condition: { ...step.condition, op: event.target.value as ConditionOperator } })}>
            {CONDITION_OPERATORS.map((op) => (
              <option key={op} value={op}>
                {op}
              </option>
            ))}
          </select>
          <input aria-label="Value" value={String(step.condition.value)} onChange={(event) => onChange({ ...step, condition: { ...step.condition, value: event.target.value } })} />
          then
          <TargetSelect label="If true, go to" value={step.ifTrue} later={later} onChange={(ifTrue) => onChange({ ...step, ifTrue })} />
          else
          <TargetSelect label="If false, go to" value={step.ifFalse} later={later} onChange={(ifFalse) => onChange({ ...step, ifFalse })} />
        </div>
      );
    case 'task':
      return (
        <div className="step-editor">
          <TemplateField label="Task title (for the care owner)" value={step.title} onChange={(title) => onChange({ ...step, title })} codeView={codeView} />
          <TemplateField label="What to do" value={step.body} onChange={(body) => onChange({ ...step, body })} multiline codeView={codeView} />
        </div>
      );
    case 'tag':
      return (
        <label className="field">
          <span className="field__label">Tag</span>
          <input value={step.tag} onChange={(event) => onChange({ ...step, tag: event.target.value })} required />
        </label>
      );
    case 'nps_survey':
      return (
        <p className="muted step-editor">
          Emails “How likely are you to recommend us to a friend or colleague? 0–10” with a link per answer; the customer confirms on a page that works on a phone and may add a comment. Answers count in the NPS on the care dashboard.
        </p>
      );
  }
}

function WaitFields({ wait, onChange }: { wait: JourneyWait; onChange: (wait: JourneyWait) => void }) {
  const number = (value: string) => Math.max(0, Number(value) || 0);
  if (wait.mode === 'duration') {
    return (
      <span className="step-editor--row">
        <input type="number" aria-label="Days" min={0} value={wait.days} onChange={(event) => onChange({ ...wait, days: number(event.target.value) })} /> days
        <input type="number" aria-label="Hours" min={0} max={23} value={wait.hours} onChange={(event) => onChange({ ...wait, hours: number(event.target.value) })} /> hours
      </span>
    );
  }
  if (wait.mode === 'before_renewal') {
    return (
      <span className="step-editor--row">
        <input type="number" aria-label="Days before renewal" min={0} value={wait.days} onChange={(event) => onChange({ ...wait, days: number(event.target.value) })} /> days before the next renewal
      </span>
    );
  }
  return (
    <span className="step-editor--row">
      {WEEKDAYS.map((name, index) => (
        <label key={name}>
          <input
            type="checkbox"
            checked={wait.weekdays.includes(index + 1)}
            onChange={(event) => onChange({ ...wait, weekdays: event.target.checked ? [...wait.weekdays, index + 1].sort() : wait.weekdays.filter((day) => day !== index + 1) })}
          />
          {name}
        </label>
      ))}
      from <input type="number" aria-label="From hour" min={0} max={23} value={wait.fromHour} onChange={(event) => onChange({ ...wait, fromHour: number(event.target.value) })} />
      to <input type="number" aria-label="To hour" min={1} max={24} value={wait.toHour} onChange={(event) => onChange({ ...wait, toHour: number(event.target.value) })} />
    </span>
  );
}

function TargetSelect({ label, value, later, onChange }: { label: string; value: string; later: string[]; onChange: (target: string) => void }) {
  return (
    <select aria-label={label} value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="next">the next step</option>
      <option value="end">the end</option>
      {later.map((id) => (
        <option key={id} value={id}>
          step {id}
        </option>
      ))}
    </select>
  );
}
