import { useState } from 'react';
import type { BrowserAuth } from '../../api/api-browser.js';
import { Api, type WorkspaceView } from '../../api/endpoints.js';
import { useLoad } from '../../hooks.js';
import { canAdminister } from '../../roles.js';
import { AuthChoice } from './auth-choice.js';
import { CustomerList } from './customer-list.js';
import { CustomerLookup } from './customer-lookup.js';
import { AdminOnlyNote, CredentialsNote } from './notes.js';

/** The Customer API through the gateway: one customer with its latest events, a list, a count. */
export function CustomersTab({ workspace }: { workspace: WorkspaceView }) {
  const enforcement = useLoad(`enforcement:${workspace.id}`, () =>
    Api.signatureEnforcement(workspace.id),
  );
  const [auth, setAuth] = useState<BrowserAuth>('signature');
  if (!canAdminister(workspace.role)) return <AdminOnlyNote workspace={workspace} />;
  const enforced =
    enforcement.state.status === 'ready' &&
    enforcement.state.data.moduleEnabled &&
    enforcement.state.data.apis.includes('customer');
  return (
    <>
      <div className="card">
        <h2>Customers</h2>
        <p className="muted">
          Read through the gateway with this workspace&apos;s API key (the Customer API).
        </p>
        <CredentialsNote workspace={workspace} />
        <AuthChoice
          value={auth}
          onChange={setAuth}
          refusedPlain={
            enforced
              ? 'This workspace requires signed requests on the Customer API: the gateway will refuse a plain api_key call with 401 (code 110405).'
              : undefined
          }
        />
      </div>
      <CustomerLookup workspace={workspace} auth={auth} />
      <CustomerList workspace={workspace} auth={auth} />
    </>
  );
}
