import { useEffect, useRef } from 'react';

/** The X of a row: an icon, so the button's name is all there is to read. */
function RemoveIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M3 3l10 10M13 3L3 13" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

function AddIcon() {
  return (
    <svg viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
      <path d="M8 2v12M2 8h12" stroke="currentColor" strokeWidth="2" strokeLinecap="round" />
    </svg>
  );
}

/**
 * An allow-list as one input per entry: + adds a row, X removes one. The rows are the lines of
 * the same text the bulk editor shows, so validation, preview and save are shared.
 */
export function IpRowsField({
  id,
  apiName,
  lines,
  rejected,
  hintId,
  onChange,
}: {
  id: string;
  apiName: string;
  lines: readonly string[];
  /** Refused entries (text → why). */
  rejected: ReadonlyMap<string, string>;
  hintId: string;
  onChange: (lines: readonly string[]) => void;
}) {
  const listRef = useRef<HTMLOListElement>(null);
  const focusRow = useRef<number | undefined>(undefined);
  useEffect(() => {
    // a row added or removed: focus goes to the new row, or to the one that took its place
    const index = focusRow.current;
    if (index === undefined) return;
    focusRow.current = undefined;
    const inputs = listRef.current?.querySelectorAll('input');
    const target = inputs?.[Math.min(index, inputs.length - 1)];
    target?.focus();
  }, [lines.length]);

  const set = (index: number, value: string): void =>
    onChange(lines.map((line, at) => (at === index ? value : line)));
  const add = (): void => {
    focusRow.current = lines.length;
    onChange([...lines, '']);
  };
  const remove = (index: number): void => {
    focusRow.current = index;
    const rest = lines.filter((_, at) => at !== index);
    onChange(rest.length === 0 ? [''] : rest);
  };

  return (
    <fieldset className="ip-rows">
      <legend>Allowed addresses and ranges for {apiName}</legend>
      <p id={hintId} className="field-hint">
        One IPv4 or IPv6 address or CIDR range per row, e.g. <code>203.0.113.7</code>,{' '}
        <code>10.0.0.0/8</code>. Empty rows are ignored; an empty list lets every address through.
      </p>
      <ol className="ip-row-list" ref={listRef}>
        {lines.map((line, index) => {
          const message = rejected.get(line.trim());
          const errorId = `${id}-row-${index}-error`;
          return (
            <li key={index} className="ip-row">
              <span className="ip-row-number" aria-hidden="true">
                {index + 1}
              </span>
              <input
                type="text"
                className="ip-row-input"
                value={line}
                aria-label={`Entry ${index + 1}`}
                aria-invalid={message === undefined ? undefined : true}
                aria-describedby={message === undefined ? undefined : errorId}
                spellCheck={false}
                autoCapitalize="off"
                autoComplete="off"
                onChange={(event) => set(index, event.target.value)}
              />
              <button
                type="button"
                className="button button-small icon-button"
                aria-label={`Remove entry ${index + 1}`}
                title="Remove"
                onClick={() => remove(index)}
              >
                <RemoveIcon />
              </button>
              {message === undefined ? null : (
                <p id={errorId} className="field-error ip-row-error">
                  {message}
                </p>
              )}
            </li>
          );
        })}
      </ol>
      <button type="button" className="button button-small" onClick={add}>
        <AddIcon /> Add entry
      </button>
    </fieldset>
  );
}
