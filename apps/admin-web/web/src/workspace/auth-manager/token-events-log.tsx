import { useState } from 'react';
import {
  Api,
  type TokenEvent,
  type TokenEventFilters,
  type WorkspaceView,
} from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime } from '../../components/format.js';
import { usePaged } from '../../hooks.js';
import { AuditFilterForm, type AuditFilterValues } from './audit-filter-form.js';
import { AuditLogCard } from './audit-log-card.js';
import { OUTCOME_LABELS } from './auth-client-rules.js';

const OUTCOMES = [
  { value: 'issued', label: OUTCOME_LABELS.issued },
  { value: 'error', label: OUTCOME_LABELS.error },
] as const;

function toFilters(values: AuditFilterValues): TokenEventFilters {
  const outcome = OUTCOMES.find((option) => option.value === values.kind)?.value;
  return {
    clientId: values.clientId,
    from: values.from,
    to: values.to,
    ...(outcome === undefined ? {} : { outcome }),
  };
}

function TokenRow({ event }: { event: TokenEvent }) {
  return (
    <tr>
      <td className="nowrap">{formatDateTime(event.at)}</td>
      <td>
        {event.clientId === null ? (
          <span className="muted">unknown</span>
        ) : (
          <span className="client-id">
            <code>{event.clientId}</code>
            <CopyButton value={event.clientId} label="Copy the client id" />
          </span>
        )}
      </td>
      <td>
        <span className={`badge badge-${event.outcome}`}>{OUTCOME_LABELS[event.outcome]}</span>
      </td>
      <td className="wrap-text">
        {event.outcome === 'error' ? (
          <>
            {event.errorCode === undefined ? null : <code>{event.errorCode}</code>}{' '}
            {event.error === undefined ? null : <code>{event.error}</code>}
            {event.errorMessage === undefined ? null : (
              <span className="cell-note">{event.errorMessage}</span>
            )}
          </>
        ) : null}
      </td>
      <td>{event.scope === undefined ? null : <code className="chip">{event.scope}</code>}</td>
      <td className="url-cell">
        {event.audience === undefined ? null : <code>{event.audience}</code>}
      </td>
      <td>
        {event.jti === undefined ? null : (
          <span className="client-id">
            <code data-testid="jti">{event.jti}</code>
            <CopyButton value={event.jti} label="Copy the JWT ID" />
          </span>
        )}
      </td>
      <td>
        <code>{event.clientIp}</code>
      </td>
      <td className="user-agent">{event.userAgent}</td>
    </tr>
  );
}

/** Every request at the gateway's token endpoint for this workspace's clients, newest first. */
export function TokenEventsLog({ workspace }: { workspace: WorkspaceView }) {
  const [filters, setFilters] = useState<TokenEventFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<TokenEvent>(
    `token-events:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => Api.tokenEvents(workspace.id, cursor, filters),
  );
  return (
    <AuditLogCard
      title="JWT Token Audit Log"
      description="Every token request of this workspace's clients: issued tokens (never the token itself) and refusals with their code."
      filters={
        <AuditFilterForm
          label="Filter the JWT token audit log"
          kindLabel="Outcome"
          kinds={OUTCOMES}
          onApply={(values) => setFilters(toFilters(values))}
        />
      }
      list={list}
      empty="No token requests recorded."
      onRefresh={() => setRefreshed(refreshed + 1)}
    >
      <div className="table-scroll" role="region" aria-label="Token events" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Client ID</th>
              <th scope="col">Outcome</th>
              <th scope="col">Error</th>
              <th scope="col">Scope</th>
              <th scope="col">Audience</th>
              <th scope="col">JWT ID</th>
              <th scope="col">Client IP</th>
              <th scope="col">User agent</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((event) => (
              <TokenRow key={event.id} event={event} />
            ))}
          </tbody>
        </table>
      </div>
    </AuditLogCard>
  );
}
