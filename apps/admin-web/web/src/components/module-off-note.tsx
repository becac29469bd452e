import type { ReactNode } from 'react';
import type { WorkspaceModules, WorkspaceView } from '../api/endpoints.js';
import { Link, workspacePath } from '../router.js';
import { canSwitchModules } from '../roles.js';
import { MODULES } from './module-badges.js';

/** A module's settings stay read-only until an operator switches the module on: says so. */
export function ModuleOffNote({
  module,
  workspace,
  children,
  blocked = 'these settings can be changed',
}: {
  module: keyof WorkspaceModules;
  workspace: WorkspaceView;
  /** What being off means for these settings. */
  children: ReactNode;
  /** What waits for the module: "An operator must enable it … before <blocked>." */
  blocked?: string;
}) {
  const name = MODULES.find((entry) => entry.key === module)?.name ?? module;
  return (
    <div className="warning note" role="note">
      <p>
        <strong>The {name} module is off for this workspace.</strong> {children}
      </p>
      <p>
        An operator must enable it
        {canSwitchModules(workspace.role) ? (
          <>
            {' '}
            on the <Link to={workspacePath(workspace.id, 'modules')}>Modules</Link> tab
          </>
        ) : null}{' '}
        before {blocked}.
      </p>
    </div>
  );
}
