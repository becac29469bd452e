import { useState } from 'react';
import { Api, type FailedCallSummary, type WorkspaceView } from '../api/endpoints.js';
import { formatDateTime } from '../components/format.js';
import { ScrollTable } from '../components/scroll-table.js';
import { useLoad, usePaged } from '../hooks.js';
import { Link, workspacePath } from '../router.js';
import { AuditLogCard } from './auth-manager/audit-log-card.js';
import { ExportLink, type LogFilters } from './export-link.js';
import { LogFilterForm, type FilterField } from './log-filter-form.js';

/** API, status and a range of days. */
function ErrorFilterForm({ onApply }: { onApply: (filters: LogFilters) => void }) {
  const catalog = useLoad('apis', () => Api.apis());
  const apis = catalog.state.status === 'ready' ? catalog.state.data : [];
  const fields: readonly FilterField[] = [
    { key: 'api', label: 'API', choices: apis.map((api) => ({ value: api.id, label: api.name })) },
    { key: 'status', label: 'Status', input: { inputMode: 'numeric', placeholder: 'e.g. 403' } },
  ];
  return <LogFilterForm label="Filter the failed calls" fields={fields} onApply={onApply} />;
}

/** Failed API calls through the gateway (status ≥ 400), newest first. */
export function ErrorsTab({ workspace }: { workspace: WorkspaceView }) {
  const [filters, setFilters] = useState<LogFilters>({});
  const [refreshed, setRefreshed] = useState(0);
  const list = usePaged<FailedCallSummary>(
    `errors:${workspace.id}:${JSON.stringify(filters)}:${refreshed}`,
    (cursor) => Api.failedCalls(workspace.id, cursor, filters),
  );
  const detailPath = (id: string): string =>
    `${workspacePath(workspace.id, 'errors')}/${encodeURIComponent(id)}`;

  return (
    <AuditLogCard
      title="Failed API calls"
      description={
        <>
          Calls the gateway refused or the API answered with an error. Passwords, secrets and
          signatures are redacted.{' '}
          <ExportLink
            path={`/workspaces/${encodeURIComponent(workspace.id)}/errors`}
            filters={filters}
          />
        </>
      }
      filters={<ErrorFilterForm onApply={setFilters} />}
      list={list}
      empty="No failed calls recorded."
      onRefresh={() => setRefreshed(refreshed + 1)}
    >
      <ScrollTable
        label="Failed calls"
        columns={['When', 'Request', 'Status', 'Reason', 'Client IP']}
      >
        {list.items.map((call) => (
          <tr key={call.id}>
            <td className="nowrap">
              <Link to={detailPath(call.id)}>{formatDateTime(call.at)}</Link>
            </td>
            <td className="request-line">
              <span className="method">{call.method}</span> <code>{call.url}</code>
            </td>
            <td>
              <span className={`status status-${String(call.status).charAt(0)}xx`}>
                {call.status}
              </span>
            </td>
            <td>{call.reason}</td>
            <td>
              <code>{call.clientIp}</code>
            </td>
          </tr>
        ))}
      </ScrollTable>
    </AuditLogCard>
  );
}
