import type { ReactNode } from 'react';
import { formatDateTime } from './format.js';

/** "by jane@example.com at 30 Nov 2026, 21:00:00", when the current state says who and when. */
export function changedBy(by: string | null | undefined, at: string | null | undefined): string {
  if (by === null || by === undefined || at === null || at === undefined) return '';
  return ` (by ${by} at ${formatDateTime(at)})`;
}

/**
 * A change refused because someone else changed the same thing since it was opened (412): what
 * it is now, and the two ways on: take the current state, or send the change again on top of it.
 */
export function ConflictNote({
  what,
  by,
  at,
  busy = false,
  reapplyLabel = 'Re-apply my change',
  onReload,
  onReapply,
  children,
}: {
  /** "The Customer list", "The modules". */
  what: string;
  by?: string | null;
  at?: string | null;
  busy?: boolean;
  reapplyLabel?: string;
  onReload: () => void;
  onReapply: () => void;
  /** The current state. */
  children: ReactNode;
}) {
  return (
    <div className="alert alert-warning conflict" role="alert">
      <p className="alert-title">
        {what} changed by someone else since you opened it{changedBy(by, at)}. Nothing of yours was
        saved.
      </p>
      <div className="conflict-current">{children}</div>
      <div className="form-actions">
        <button type="button" className="button" onClick={onReload} disabled={busy}>
          Reload
        </button>
        <button type="button" className="button button-primary" onClick={onReapply} disabled={busy}>
          {busy ? 'Saving…' : reapplyLabel}
        </button>
      </div>
    </div>
  );
}
