import { useState } from 'react';
import {
  Api,
  type AuthClientEvent,
  type AuthClientEventFilters,
  type WorkspaceView,
} from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { formatDateTime } from '../../components/format.js';
import { usePaged } from '../../hooks.js';
import { AuditFilterForm, type AuditFilterValues } from './audit-filter-form.js';
import { AuditLogCard } from './audit-log-card.js';
import { ACTION_LABELS, actorLabel, sourceLabel } from './auth-client-rules.js';

const ACTIONS = [
  { value: 'created', label: ACTION_LABELS.created },
  { value: 'revoked', label: ACTION_LABELS.revoked },
] as const;

function toFilters(values: AuditFilterValues): AuthClientEventFilters {
  const action = ACTIONS.find((option) => option.value === values.kind)?.value;
  return {
    clientId: values.clientId,
    from: values.from,
    to: values.to,
    ...(action === undefined ? {} : { action }),
  };
}

/** Who created and revoked which auth client, newest first. */
export function AuthClientEventsLog({ workspace }: { workspace: WorkspaceView }) {
  const [filters, setFilters] = useState<AuthClientEventFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<AuthClientEvent>(
    `auth-client-events:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => Api.authClientEvents(workspace.id, cursor, filters),
  );
  return (
    <AuditLogCard
      title="Auth Client Audit Log"
      description="Every auth client created or revoked in this workspace, by whom and from where."
      filters={
        <AuditFilterForm
          label="Filter the auth client audit log"
          kindLabel="Action"
          kinds={ACTIONS}
          onApply={(values) => setFilters(toFilters(values))}
        />
      }
      list={list}
      empty="No auth client changes recorded."
      onRefresh={() => setRefreshed(refreshed + 1)}
    >
      <div className="table-scroll" role="region" aria-label="Auth client events" tabIndex={0}>
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Client ID</th>
              <th scope="col">Client name</th>
              <th scope="col">Action</th>
              <th scope="col">Source</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((event) => (
              <tr key={event.id}>
                <td className="nowrap">{formatDateTime(event.at)}</td>
                <td>
                  <span className="client-id">
                    <code>{event.clientId}</code>
                    <CopyButton value={event.clientId} label="Copy the client id" />
                  </span>
                </td>
                <td>{event.clientName}</td>
                <td>
                  <span className={`badge badge-${event.action}`}>
                    {ACTION_LABELS[event.action]}
                  </span>
                </td>
                <td className="nowrap">{sourceLabel(event.source)}</td>
                <td className="by-cell">{actorLabel(event.actor)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </AuditLogCard>
  );
}
