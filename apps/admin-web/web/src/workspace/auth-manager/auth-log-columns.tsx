import { CopyButton } from '../../components/copy-button.js';
import type { FilterField } from '../log-filter-form.js';

// The columns the Authentication Manager's two logs (auth clients, tokens) show and filter alike:
// the client id, ids to copy, the log's kind (action, outcome) as a filter. The card, filters and
// table around them are `AuthAuditLog`.

/** A log's own drop-down filter, one choice per labelled value: an action, an outcome. */
export function kindFilter(
  key: string,
  label: string,
  labels: Readonly<Record<string, string>>,
): FilterField {
  return {
    key,
    label,
    choices: Object.entries(labels).map(([value, text]) => ({ value, label: text })),
  };
}

/** An id to paste elsewhere (client id, JWT ID): in code, with a Copy button beside it. */
export function CopyableId({
  value,
  label,
  testId,
}: {
  value: string;
  label: string;
  testId?: string;
}) {
  return (
    <span className="client-id">
      <code data-testid={testId}>{value}</code>
      <CopyButton value={value} label={label} />
    </span>
  );
}

/** The Client ID column; a token request may name no client at all. */
export function ClientIdCell({ clientId }: { clientId: string | null }) {
  return (
    <td>
      {clientId === null ? (
        <span className="muted">unknown</span>
      ) : (
        <CopyableId value={clientId} label="Copy the client id" />
      )}
    </td>
  );
}
