import { useId } from 'react';

export interface SelectOption<Value extends string> {
  value: Value;
  label: string;
}

interface PropertySelectProps<Value extends string> {
  label: string;
  value: Value;
  options: readonly SelectOption<Value>[];
  onChange: (value: Value) => void;
  testId: string;
}

export function PropertySelect<Value extends string>({ label, value, options, onChange, testId }: PropertySelectProps<Value>) {
  const id = useId();
  return (
    <div className="property">
      <label className="property__label" htmlFor={id}>
        {label}
      </label>
      <select
        id={id}
        className="property__select"
        value={value}
        // The value can only be one of the options rendered below.
        onChange={(event) => onChange(event.target.value as Value)}
        data-testid={testId}
      >
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
    </div>
  );
}
