import type { ReactNode } from 'react';

/**
 * A table that scrolls inside its card rather than widening the page: a focusable region named
 * `label`, so a keyboard scrolls it too. `actions` adds a last column for the rows' buttons,
 * named for screen readers only; `sticky` keeps it in view while the rest scrolls.
 */
export function ScrollTable({
  label,
  columns,
  actions = 'none',
  stack = false,
  children,
}: {
  label: string;
  columns: readonly string[];
  actions?: 'none' | 'plain' | 'sticky';
  /** At phone width each row becomes a stack of labelled cells (`data-label`). */
  stack?: boolean;
  /** The rows. */
  children: ReactNode;
}) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      <table className={stack ? 'table table-stack' : 'table'}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions === 'none' ? null : (
              <th scope="col" className={actions === 'sticky' ? 'sticky-end' : undefined}>
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}
