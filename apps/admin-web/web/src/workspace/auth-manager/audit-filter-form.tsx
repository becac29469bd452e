import { useId, useState, type SubmitEvent } from 'react';
import { Field } from '../../components/field.js';
import { dayRange } from './auth-client-rules.js';

export interface AuditFilterValues {
  readonly clientId?: string;
  /** The log's own filter: the action (created, revoked) or the outcome (issued, error). */
  readonly kind?: string;
  readonly from?: string;
  readonly to?: string;
}

/** Client id, one choice (action or outcome) and a range of days; applied on submit. */
export function AuditFilterForm({
  label,
  kindLabel,
  kinds,
  onApply,
}: {
  /** Names the form, e.g. "Filter the auth client log". */
  label: string;
  kindLabel: string;
  kinds: readonly { readonly value: string; readonly label: string }[];
  onApply: (filters: AuditFilterValues) => void;
}) {
  const id = useId();
  const [clientId, setClientId] = useState('');
  const [kind, setKind] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [problem, setProblem] = useState<string | undefined>();

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const range = dayRange(from, to);
    setProblem(range.problem);
    if (range.problem !== undefined) return;
    const trimmed = clientId.trim();
    onApply({
      ...(trimmed === '' ? {} : { clientId: trimmed }),
      ...(kind === '' ? {} : { kind }),
      ...(range.from === undefined ? {} : { from: range.from }),
      ...(range.to === undefined ? {} : { to: range.to }),
    });
  };

  const clear = (): void => {
    setClientId('');
    setKind('');
    setFrom('');
    setTo('');
    setProblem(undefined);
    onApply({});
  };

  return (
    <form className="filters" onSubmit={submit} aria-label={label} noValidate>
      <Field
        label="Client ID"
        value={clientId}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => setClientId(event.target.value)}
      />
      <div className="field">
        <label htmlFor={`${id}-kind`}>{kindLabel}</label>
        <select id={`${id}-kind`} value={kind} onChange={(event) => setKind(event.target.value)}>
          <option value="">Any</option>
          {kinds.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
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
