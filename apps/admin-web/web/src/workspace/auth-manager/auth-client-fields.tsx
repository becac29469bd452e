import { useId } from 'react';

function describedBy(...ids: (string | undefined)[]): string | undefined {
  const joined = ids.filter((id) => id !== undefined).join(' ');
  return joined === '' ? undefined : joined;
}

/** A checkbox per scope the environment offers, with the API's error about them. */
export function ScopeField({
  scopes,
  checked,
  onChange,
  error,
  disabled,
}: {
  scopes: readonly string[];
  checked: readonly string[];
  onChange: (scopes: string[]) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const id = useId();
  const toggle = (scope: string, on: boolean): void =>
    onChange(scopes.filter((entry) => (entry === scope ? on : checked.includes(entry))));
  return (
    <fieldset
      className="check-group field"
      disabled={disabled}
      aria-describedby={describedBy(error === undefined ? undefined : `${id}-error`)}
    >
      <legend>Scope</legend>
      <ul className="check-list">
        {scopes.map((scope) => (
          <li key={scope}>
            <input
              type="checkbox"
              id={`${id}-${scope}`}
              checked={checked.includes(scope)}
              aria-invalid={error === undefined ? undefined : true}
              onChange={(event) => toggle(scope, event.target.checked)}
            />
            <label htmlFor={`${id}-${scope}`}>
              <code>{scope}</code>
            </label>
          </li>
        ))}
      </ul>
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </fieldset>
  );
}

/** The `aud` of the client's tokens: one of the environment's audiences. */
export function AudienceField({
  audiences,
  value,
  onChange,
  error,
  disabled,
}: {
  audiences: readonly string[];
  value: string;
  onChange: (audience: string) => void;
  error: string | undefined;
  disabled: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id}>Token audience</label>
      <select
        id={id}
        value={value}
        disabled={disabled}
        aria-invalid={error === undefined ? undefined : true}
        aria-describedby={describedBy(error === undefined ? undefined : `${id}-error`)}
        onChange={(event) => onChange(event.target.value)}
      >
        {audiences.map((audience) => (
          <option key={audience} value={audience}>
            {audience}
          </option>
        ))}
      </select>
      {error === undefined ? null : (
        <p id={`${id}-error`} className="field-error">
          {error}
        </p>
      )}
    </div>
  );
}
