import { Api, type TokenEvent, type WorkspaceView } from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime } from '../../components/format.js';
import type { FilterField } from '../log-filter-form.js';
import { AuthAuditLog } from './auth-audit-log.js';
import { OUTCOME_LABELS } from './auth-client-rules.js';

const OUTCOME: FilterField = {
  key: 'outcome',
  label: 'Outcome',
  choices: [
    { value: 'issued', label: OUTCOME_LABELS.issued },
    { value: 'error', label: OUTCOME_LABELS.error },
  ],
};

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
  return (
    <AuthAuditLog<TokenEvent>
      workspace={workspace}
      log="tokens"
      load={(cursor, filters) => Api.tokenEvents(workspace.id, cursor, filters)}
      title="JWT Token Audit Log"
      description="Every token request of this workspace's clients: issued tokens (never the token itself) and refusals with their code."
      filterLabel="Filter the JWT token audit log"
      kind={OUTCOME}
      empty="No token requests recorded."
      tableLabel="Token events"
      columns={[
        'When',
        'Client ID',
        'Outcome',
        'Error',
        'Scope',
        'Audience',
        'JWT ID',
        'Client IP',
        'User agent',
      ]}
      row={(event) => <TokenRow event={event} />}
    />
  );
}
