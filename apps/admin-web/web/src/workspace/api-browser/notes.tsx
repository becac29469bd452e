import type { WorkspaceView } from '../../api/endpoints.js';
import { Api } from '../../api/endpoints.js';
import { useLoad } from '../../hooks.js';
import { Link, workspacePath } from '../../router.js';

/** Viewers read the Errors tab; calls through the gateway are for admins. */
export function AdminOnlyNote({ workspace }: { workspace: WorkspaceView }) {
  return (
    <div className="card">
      <div className="note" role="note">
        <p>
          <strong>Only admins of this workspace can send requests from the API browser.</strong> A
          request uses the workspace&apos;s API key and can change customers.
        </p>
        <p>
          You can read the failed calls in{' '}
          <Link to={workspacePath(workspace.id, 'errors')}>Errors</Link> and the{' '}
          <Link to={workspacePath(workspace.id, 'api-reference')}>API documentation</Link>.
        </p>
      </div>
    </div>
  );
}

/** Says so when the workspace has no API key yet (every call would be refused). */
export function CredentialsNote({ workspace }: { workspace: WorkspaceView }) {
  const { state } = useLoad(`credentials:${workspace.id}`, () => Api.credentials(workspace.id));
  if (state.status !== 'ready' || state.data.active !== null) return null;
  return (
    <div className="warning note" role="note">
      <p>
        This workspace has no API credentials yet. Generate them on the{' '}
        <Link to={workspacePath(workspace.id, 'api')}>API settings</Link> tab first.
      </p>
    </div>
  );
}
