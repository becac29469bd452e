import type { AuthClientEvent, WorkspaceView } from '../../api/endpoints.js';
import { formatDateTime } from '../../components/format.js';
import { AuthAuditLog } from './auth-audit-log.js';
import { ACTION_LABELS, actorLabel, sourceLabel } from './auth-client-rules.js';
import { ClientIdCell } from './auth-log-columns.js';

function EventRow({ event }: { event: AuthClientEvent }) {
  return (
    <tr>
      <td className="nowrap">{formatDateTime(event.at)}</td>
      <ClientIdCell clientId={event.clientId} />
      <td>{event.clientName}</td>
      <td>
        <span className={`badge badge-${event.action}`}>{ACTION_LABELS[event.action]}</span>
      </td>
      <td className="nowrap">{sourceLabel(event.source)}</td>
      <td className="by-cell">{actorLabel(event.actor)}</td>
    </tr>
  );
}

/** Who created and revoked which auth client, newest first. */
export function AuthClientEventsLog({ workspace }: { workspace: WorkspaceView }) {
  return (
    <AuthAuditLog
      workspace={workspace}
      log="auth-clients"
      row={(event) => <EventRow event={event} />}
    />
  );
}
