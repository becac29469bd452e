import type { AuthClientView } from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime, formatDayAndTime } from '../../components/format.js';
import { ScrollTable } from '../../components/scroll-table.js';
import { formatDuration, sourceLabel, STATUS_LABELS } from './auth-client-rules.js';
import { RowMenu } from './row-menu.js';

/** Day, then time: the cell may break between the two, never inside either. */
function DayAndTime({ iso }: { iso: string }) {
  const [day, time] = formatDayAndTime(iso);
  return (
    <time dateTime={iso} title={formatDateTime(iso)}>
      <span className="nowrap">{day}</span> <span className="nowrap">{time}</span>
    </time>
  );
}

function ClientRow({
  client,
  canRevoke,
  onRevoke,
}: {
  client: AuthClientView;
  canRevoke: boolean;
  onRevoke: (client: AuthClientView) => void;
}) {
  return (
    <tr>
      <th scope="row" className="client-cell">
        <span className="client-name">{client.name}</span>
        <span className="client-id">
          <code data-testid="client-id">{client.clientId}</code>
          <CopyButton value={client.clientId} label={`Copy the client id of ${client.name}`} />
        </span>
      </th>
      <td className="status-cell">
        <span className={`badge badge-${client.status}`}>{STATUS_LABELS[client.status]}</span>
        {client.revokedAt === null ? null : (
          <span className="cell-note">
            <DayAndTime iso={client.revokedAt} />
            {client.revokedBy === null ? null : ` by ${client.revokedBy}`}
          </span>
        )}
      </td>
      <td className="wrap-text">{client.purpose}</td>
      <td className="date-cell">
        <DayAndTime iso={client.expiresAt} />
      </td>
      <td className="created-cell">
        <DayAndTime iso={client.createdAt} />
        <span className="cell-note">by {client.createdBy}</span>
        <span className="cell-note">via {sourceLabel(client.createdVia)}</span>
      </td>
      <td>
        {client.scopes.map((scope) => (
          <code key={scope} className="chip">
            {scope}
          </code>
        ))}
      </td>
      <td className="nowrap">{formatDuration(client.tokenValiditySeconds)}</td>
      <td className="url-cell">
        <code>{client.issuer}</code>
      </td>
      <td className="url-cell">
        <code>{client.audience}</code>
      </td>
      {canRevoke ? (
        <td className="actions sticky-end">
          {client.status === 'active' ? (
            <RowMenu
              name={client.name}
              items={[{ label: 'Revoke access', danger: true, onSelect: () => onRevoke(client) }]}
            />
          ) : null}
        </td>
      ) : null}
    </tr>
  );
}

const COLUMNS = [
  'Client',
  'Status',
  'Purpose',
  'Expires',
  'Created',
  'Scope',
  'Token validity',
  'Issuer',
  'Audience',
];

/** Every client of the workspace, newest first; wide, so it scrolls inside its card. */
export function AuthClientsTable({
  clients,
  canRevoke,
  onRevoke,
}: {
  clients: readonly AuthClientView[];
  canRevoke: boolean;
  onRevoke: (client: AuthClientView) => void;
}) {
  return (
    <ScrollTable label="Auth clients" columns={COLUMNS} actions={canRevoke ? 'sticky' : 'none'}>
      {clients.map((client) => (
        <ClientRow
          key={client.clientId}
          client={client}
          canRevoke={canRevoke}
          onRevoke={onRevoke}
        />
      ))}
    </ScrollTable>
  );
}
