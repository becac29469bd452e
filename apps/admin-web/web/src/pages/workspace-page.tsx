import { Api, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { useLoad } from '../hooks.js';
import {
  API_BROWSER_TABS,
  Link,
  WORKSPACE_TABS,
  workspacePath,
  type AuthManagerSection,
  type WorkspaceTab,
} from '../router.js';
import { ApiBrowser } from '../workspace/api-browser/api-browser.js';
import { ApiSettingsTab } from '../workspace/api-settings-tab.js';
import { AuditTab } from '../workspace/audit-tab.js';
import { AuthManagerTab } from '../workspace/auth-manager/auth-manager-tab.js';
import { ErrorDetail } from '../workspace/error-detail.js';
import { ErrorsTab } from '../workspace/errors-tab.js';
import { IpFilterTab } from '../workspace/ip-filter-tab.js';
import { MembersTab } from '../workspace/members-tab.js';
import { ModulesTab } from '../workspace/modules-tab.js';
import { SignaturesTab } from '../workspace/signatures-tab.js';

const TAB_NAMES: Readonly<Record<WorkspaceTab, string>> = {
  api: 'API settings',
  modules: 'Modules',
  'ip-filter': 'IP filter',
  signatures: 'Signature enforcement',
  'auth-manager': 'Authentication Manager',
  members: 'Members',
  events: 'API browser',
  customers: 'API browser',
  errors: 'API browser',
  'api-reference': 'API browser',
  audit: 'Audit',
};

function TabContent({
  workspace,
  tab,
  errorId,
  section,
  onChange,
}: {
  workspace: WorkspaceView;
  tab: WorkspaceTab;
  errorId: string | undefined;
  section: AuthManagerSection | undefined;
  onChange: (workspace: WorkspaceView) => void;
}) {
  switch (tab) {
    case 'api':
      return <ApiSettingsTab workspace={workspace} />;
    case 'modules':
      return <ModulesTab workspace={workspace} onChange={onChange} />;
    case 'ip-filter':
      return <IpFilterTab workspace={workspace} />;
    case 'signatures':
      return <SignaturesTab workspace={workspace} />;
    case 'auth-manager':
      return <AuthManagerTab workspace={workspace} section={section ?? 'clients'} />;
    case 'members':
      return <MembersTab workspace={workspace} />;
    case 'events':
    case 'customers':
    case 'api-reference':
      return <ApiBrowser workspace={workspace} tab={tab} />;
    case 'errors':
      return (
        <ApiBrowser workspace={workspace} tab={tab}>
          {errorId === undefined ? (
            <ErrorsTab workspace={workspace} />
          ) : (
            <ErrorDetail workspace={workspace} id={errorId} />
          )}
        </ApiBrowser>
      );
    case 'audit':
      return <AuditTab workspace={workspace} />;
  }
}

export function WorkspacePage({
  ws,
  tab,
  errorId,
  section,
}: {
  ws: string;
  tab: WorkspaceTab;
  errorId?: string | undefined;
  section?: AuthManagerSection | undefined;
}) {
  const { state, set } = useLoad(`workspace:${ws}`, () => Api.workspace(ws));
  if (state.status === 'loading') return <Loading />;
  if (state.status === 'error') {
    return (
      <>
        <p className="breadcrumb">
          <Link to="/">← All workspaces</Link>
        </p>
        <Alert>{state.error.message}</Alert>
      </>
    );
  }
  const workspace = state.data;
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">← All workspaces</Link>
      </p>
      <div className="page-title">
        <h1>{workspace.name}</h1>
        <span className="workspace-id">{workspace.id}</span>
        <span className={`badge badge-${workspace.role}`}>your role: {workspace.role}</span>
      </div>
      <nav className="tabs" aria-label="Workspace sections">
        {/* the API browser's tabs are one entry, opening on Events */}
        {WORKSPACE_TABS.filter((key) => key === 'events' || !API_BROWSER_TABS.includes(key)).map(
          (key) => (
            <Link
              key={key}
              to={workspacePath(workspace.id, key)}
              className="tab"
              aria-current={
                key === tab || (key === 'events' && API_BROWSER_TABS.includes(tab))
                  ? 'page'
                  : undefined
              }
            >
              {TAB_NAMES[key]}
            </Link>
          ),
        )}
      </nav>
      <section className="tab-panel" aria-label={TAB_NAMES[tab]}>
        <TabContent
          workspace={workspace}
          tab={tab}
          errorId={errorId}
          section={section}
          onChange={set}
        />
      </section>
    </>
  );
}
