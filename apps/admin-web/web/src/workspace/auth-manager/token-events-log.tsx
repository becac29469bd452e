import type { TokenEvent, WorkspaceView } from '../../api/endpoints.js';
import { formatDateTime } from '../../components/format.js';
import { AuthAuditLog } from './auth-audit-log.js';
import { OUTCOME_LABELS } from './auth-client-rules.js';
import { ClientIdCell, CopyableId } from './auth-log-columns.js';

function TokenRow({ event }: { event: TokenEvent }) {
  return (
    <tr>
      <td className="nowrap">{formatDateTime(event.at)}</td>
      <ClientIdCell clientId={event.clientId} />
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
          <CopyableId value={event.jti} label="Copy the JWT ID" testId="jti" />
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
    <AuthAuditLog workspace={workspace} log="tokens" row={(event) => <TokenRow event={event} />} />
  );
}
