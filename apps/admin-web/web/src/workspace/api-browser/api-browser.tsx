import type { ReactNode } from 'react';
import type { WorkspaceView } from '../../api/endpoints.js';
import { Link, workspacePath, type WorkspaceTab } from '../../router.js';
import { ApiReference } from './api-reference.js';
import { CustomersTab } from './customers-tab.js';
import { EventsTab } from './events-tab.js';

const SECTIONS: readonly { readonly key: WorkspaceTab; readonly name: string }[] = [
  { key: 'events', name: 'Events' },
  { key: 'customers', name: 'Customers' },
  { key: 'errors', name: 'Errors' },
];

/**
 * The API browser: submit events and look up customers through the gateway, as an integrator
 * would, next to the log of failed calls and the API reference.
 */
export function ApiBrowser({
  workspace,
  tab,
  children,
}: {
  workspace: WorkspaceView;
  tab: WorkspaceTab;
  /** The Errors tab's own content. */
  children?: ReactNode;
}) {
  return (
    <>
      <div className="api-browser-bar">
        <nav className="subtabs" aria-label="API browser sections">
          {SECTIONS.map(({ key, name }) => (
            <Link
              key={key}
              to={workspacePath(workspace.id, key)}
              className="subtab"
              aria-current={key === tab ? 'page' : undefined}
            >
              {name}
            </Link>
          ))}
        </nav>
        <Link
          to={workspacePath(workspace.id, 'api-reference')}
          className="docs-link"
          aria-current={tab === 'api-reference' ? 'page' : undefined}
        >
          Read the API documentation
        </Link>
      </div>
      {tab === 'events' ? <EventsTab workspace={workspace} /> : null}
      {tab === 'customers' ? <CustomersTab workspace={workspace} /> : null}
      {tab === 'api-reference' ? <ApiReference workspace={workspace} /> : null}
      {children}
    </>
  );
}
