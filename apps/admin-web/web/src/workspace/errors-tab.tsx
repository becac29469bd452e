import { Api, type FailedCallSummary, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { formatDateTime } from '../components/format.js';
import { usePaged } from '../hooks.js';
import { Link, workspacePath } from '../router.js';

/** Failed API calls through the gateway (status ≥ 400), newest first. */
export function ErrorsTab({ workspace }: { workspace: WorkspaceView }) {
  const list = usePaged<FailedCallSummary>(`errors:${workspace.id}`, (cursor) =>
    Api.failedCalls(workspace.id, cursor),
  );
  const detailPath = (id: string): string =>
    `${workspacePath(workspace.id, 'errors')}/${encodeURIComponent(id)}`;

  return (
    <div className="card">
      <h2>Failed API calls</h2>
      <p className="muted">
        Calls the gateway refused or the API answered with an error. Passwords, secrets and
        signatures are redacted.
      </p>
      {list.error === undefined ? null : <Alert>{list.error.message}</Alert>}
      {!list.loading && list.error === undefined && list.items.length === 0 ? (
        <p className="empty">No failed calls recorded.</p>
      ) : null}
      {list.items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Reason</th>
              <th scope="col">Client IP</th>
            </tr>
          </thead>
          <tbody>
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
          </tbody>
        </table>
      ) : null}
      {list.loading ? <Loading /> : null}
      {list.hasMore && !list.loading ? (
        <button type="button" className="button" onClick={list.loadMore}>
          Load more
        </button>
      ) : null}
    </div>
  );
}
