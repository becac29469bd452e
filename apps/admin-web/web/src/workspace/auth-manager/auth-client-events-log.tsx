import { Api, type AuthClientEvent, type WorkspaceView } from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime } from '../../components/format.js';
import type { FilterField } from '../log-filter-form.js';
import { AuthAuditLog } from './auth-audit-log.js';
import { ACTION_LABELS, actorLabel, sourceLabel } from './auth-client-rules.js';

const ACTION: FilterField = {
  key: 'action',
  label: 'Action',
  choices: [
    { value: 'created', label: ACTION_LABELS.created },
    { value: 'revoked', label: ACTION_LABELS.revoked },
  ],
};

function EventRow({ event }: { event: AuthClientEvent }) {
  return (
    <tr>
      <td className="nowrap">{formatDateTime(event.at)}</td>
      <td>
        <span className="client-id">
          <code>{event.clientId}</code>
          <CopyButton value={event.clientId} label="Copy the client id" />
        </span>
      </td>
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
    <AuthAuditLog<AuthClientEvent>
      workspace={workspace}
      log="auth-clients"
      load={(cursor, filters) => Api.authClientEvents(workspace.id, cursor, filters)}
      title="Auth Client Audit Log"
      description="Every auth client created or revoked in this workspace, by whom and from where."
      filterLabel="Filter the auth client audit log"
      kind={ACTION}
      empty="No auth client changes recorded."
      tableLabel="Auth client events"
      columns={['When', 'Client ID', 'Client name', 'Action', 'Source', 'By']}
      row={(event) => <EventRow event={event} />}
    />
  );
}
