import { useState, type InputHTMLAttributes, type SubmitEvent } from 'react';
import { Field, SelectField, type Choice } from '../components/field.js';
import { dayRange } from './auth-manager/auth-client-rules.js';
import type { LogFilters } from './export-link.js';

/** One of a log's own filters, by its query parameter: a drop-down (with "Any"), or an input. */
export type FilterField = { readonly key: string; readonly label: string } & (
  | { readonly choices: readonly Choice[] }
  | { readonly input: Omit<InputHTMLAttributes<HTMLInputElement>, 'value' | 'onChange'> }
);

/**
 * A log's filter form: its own fields, then a range of days. Apply sends what is filled in;
 * Clear empties the form and sends nothing.
 */
export function LogFilterForm({
  label,
  fields,
  onApply,
}: {
  /** Names the form: "Filter the changes". */
  label: string;
  fields: readonly FilterField[];
  onApply: (filters: LogFilters) => void;
}) {
  const [values, setValues] = useState<Readonly<Record<string, string>>>({});
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  const set = (key: string, value: string): void => setValues({ ...values, [key]: value });

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const range = dayRange(from, to);
    setProblem(range.problem);
    if (range.problem !== undefined) return;
    const filters: Record<string, string> = {};
    for (const [key, value] of Object.entries({ ...values, from: range.from, to: range.to })) {
      const text = value?.trim() ?? '';
      if (text !== '') filters[key] = text;
    }
    onApply(filters);
  };

  const clear = (): void => {
    setValues({});
    setFrom('');
    setTo('');
    setProblem(undefined);
    onApply({});
  };

  return (
    <form className="filters" onSubmit={submit} aria-label={label} noValidate>
      {fields.map((field) =>
        'choices' in field ? (
          <SelectField
            key={field.key}
            label={field.label}
            value={values[field.key] ?? ''}
            choices={field.choices}
            any="Any"
            onChange={(value) => set(field.key, value)}
          />
        ) : (
          <Field
            key={field.key}
            label={field.label}
            {...field.input}
            value={values[field.key] ?? ''}
            onChange={(event) => set(field.key, event.target.value)}
          />
        ),
      )}
      <Field
        label="From"
        type="date"
        value={from}
        max={to === '' ? undefined : to}
        onChange={(event) => setFrom(event.target.value)}
      />
      <Field
        label="To"
        type="date"
        value={to}
        min={from === '' ? undefined : from}
        onChange={(event) => setTo(event.target.value)}
        error={problem}
      />
      <div className="filter-actions">
        <button type="submit" className="button">
          Apply filters
        </button>
        <button type="button" className="button button-link" onClick={clear}>
          Clear
        </button>
      </div>
    </form>
  );
}
