import { Api, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { ModuleBadges } from '../components/module-badges.js';
import { useLoad } from '../hooks.js';
import { Link, workspacePath } from '../router.js';
import { useMe } from '../session.js';
import { CreateWorkspaceForm } from './create-workspace-form.js';

function WorkspaceList({ workspaces }: { workspaces: readonly WorkspaceView[] }) {
  if (workspaces.length === 0) {
    return <p className="empty">You are not a member of any workspace yet.</p>;
  }
  return (
    <ul className="workspace-list">
      {workspaces.map((workspace) => (
        <li key={workspace.id} className="card workspace-item">
          <Link to={workspacePath(workspace.id)} className="workspace-link">
            <span className="workspace-name">{workspace.name}</span>
            <span className="workspace-id">{workspace.id}</span>
          </Link>
          <span className={`badge badge-${workspace.role}`}>{workspace.role}</span>
          <ModuleBadges modules={workspace.modules} />
        </li>
      ))}
    </ul>
  );
}

export function WorkspacesPage() {
  const me = useMe();
  const { state, reload } = useLoad('workspaces', Api.workspaces);
  return (
    <>
      <h1>Workspaces</h1>
      {me.user.operator ? <CreateWorkspaceForm onCreated={reload} /> : null}
      <section aria-labelledby="workspace-list-title">
        <h2 id="workspace-list-title" className="visually-hidden">
          Your workspaces
        </h2>
        {state.status === 'loading' ? <Loading /> : null}
        {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
        {state.status === 'ready' ? <WorkspaceList workspaces={state.data} /> : null}
      </section>
    </>
  );
}
