import { useState } from 'react';
import { TARGET_UNITS, targetAmount, targetUnit, type TargetUnit } from '../slaFormat';

/**
 * One SLA target, typed as an amount of hours or days (as leads think of them) and handed on in minutes.
 * The text is kept as typed, so "1." or "0,5" in progress is not rewritten under the cursor.
 */
export function TargetInput({ minutes, label, onChange }: { minutes: number | undefined; label: string; onChange: (minutes: number | undefined) => void }) {
  const [unit, setUnit] = useState<TargetUnit>(() => targetUnit(minutes));
  const [text, setText] = useState(() => (minutes === undefined ? '' : targetAmount(minutes, unit)));
  const toMinutes = (value: string, inUnit: TargetUnit) => {
    const amount = Number(value.trim().replace(',', '.'));
    return value.trim() === '' || !Number.isFinite(amount) || amount <= 0 ? undefined : Math.max(1, Math.round(amount * TARGET_UNITS[inUnit]));
  };
  return (
    <span className="target-input">
      <input
        type="text"
        inputMode="decimal"
        aria-label={`${label} (${unit})`}
        value={text}
        size={4}
        onChange={(event) => {
          setText(event.target.value);
          onChange(toMinutes(event.target.value, unit));
        }}
        data-testid="sla-target-input"
      />
      <select
        aria-label={`${label}: unit`}
        value={unit}
        onChange={(event) => {
          const next = event.target.value as TargetUnit;
          setUnit(next);
          onChange(toMinutes(text, next));
        }}
      >
        <option value="hours">hours</option>
        <option value="days">days</option>
      </select>
    </span>
  );
}
