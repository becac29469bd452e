import { useId, useState } from 'react';
import { Api, type ChangeEvent, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { formatDateTime } from '../components/format.js';
import { usePaged } from '../hooks.js';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `key: before → after` for each top-level field that changed, when both sides are objects. */
function changedFields(before: unknown, after: unknown): string[] {
  if (!isRecord(before) || !isRecord(after)) return [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  return keys
    .filter((key) => JSON.stringify(before[key]) !== JSON.stringify(after[key]))
    .map((key) => `${key}: ${JSON.stringify(before[key])} → ${JSON.stringify(after[key])}`);
}

function Change({ change }: { change: ChangeEvent }) {
  const [open, setOpen] = useState(false);
  const detailId = useId();
  const hasDetail = change.before !== undefined || change.after !== undefined;
  return (
    <>
      <tr>
        <td className="nowrap">{formatDateTime(change.at)}</td>
        <td>{change.actor.email ?? `${change.actor.type} ${change.actor.id}`}</td>
        <td>
          <code>{change.action}</code>
          {change.target === undefined ? null : <span className="muted"> {change.target}</span>}
          {changedFields(change.before, change.after).map((line) => (
            <div key={line} className="change-line">
              {line}
            </div>
          ))}
        </td>
        <td>{change.source}</td>
        <td className="actions">
          {hasDetail ? (
            <button
              type="button"
              className="button button-small"
              aria-expanded={open}
              aria-controls={detailId}
              onClick={() => setOpen(!open)}
            >
              {open ? 'Hide' : 'Details'}
            </button>
          ) : null}
        </td>
      </tr>
      {open ? (
        <tr id={detailId}>
          <td colSpan={5}>
            <pre className="body">
              {JSON.stringify({ before: change.before, after: change.after }, null, 2)}
            </pre>
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** Every settings change made on the workspace, newest first. */
export function AuditTab({ workspace }: { workspace: WorkspaceView }) {
  const list = usePaged<ChangeEvent>(`changes:${workspace.id}`, (cursor) =>
    Api.changes(workspace.id, cursor),
  );
  return (
    <div className="card">
      <h2>Changes</h2>
      {list.error === undefined ? null : <Alert>{list.error.message}</Alert>}
      {!list.loading && list.error === undefined && list.items.length === 0 ? (
        <p className="empty">No changes recorded yet.</p>
      ) : null}
      {list.items.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              <th scope="col">Via</th>
              <th scope="col">
                <span className="visually-hidden">Details</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.items.map((change) => (
              <Change key={change.id} change={change} />
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
