import type { WorkspaceView } from '../../api/endpoints.js';
import { authManagerPath, Link, type AuthManagerSection } from '../../router.js';
import { AuthAuditLogs } from './auth-audit-logs.js';
import { AuthClientsSection } from './auth-clients-section.js';

const SECTIONS: readonly { readonly key: AuthManagerSection; readonly name: string }[] = [
  { key: 'clients', name: 'Authentication Clients' },
  { key: 'audit-logs', name: 'Audit logs' },
];

/** OAuth2 client-credentials clients of the workspace, and the logs of their lifecycle and tokens. */
export function AuthManagerTab({
  workspace,
  section,
}: {
  workspace: WorkspaceView;
  section: AuthManagerSection;
}) {
  return (
    <>
      <nav className="subtabs" aria-label="Authentication Manager sections">
        {SECTIONS.map(({ key, name }) => (
          <Link
            key={key}
            to={authManagerPath(workspace.id, key)}
            className="subtab"
            aria-current={key === section ? 'page' : undefined}
          >
            {name}
          </Link>
        ))}
      </nav>
      {section === 'clients' ? (
        <AuthClientsSection workspace={workspace} />
      ) : (
        <AuthAuditLogs workspace={workspace} />
      )}
    </>
  );
}
