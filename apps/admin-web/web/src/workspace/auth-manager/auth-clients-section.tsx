import { useState } from 'react';
import {
  Api,
  type AuthClientView,
  type CreatedAuthClient,
  type WorkspaceView,
} from '../../api/endpoints.js';
import { Alert, Loading } from '../../components/alert.js';
import { ModuleOffNote } from '../../components/module-off-note.js';
import { useLoad } from '../../hooks.js';
import { canAdminister } from '../../roles.js';
import { AuthClientSecretDialog } from './auth-client-secret-dialog.js';
import { AuthClientsTable } from './auth-clients-table.js';
import { GenerateAuthClientDialog } from './generate-auth-client-dialog.js';
import { RevokeAuthClientDialog } from './revoke-auth-client-dialog.js';

/** The workspace's auth clients: generate one (secret shown once), revoke one, see them all. */
export function AuthClientsSection({ workspace }: { workspace: WorkspaceView }) {
  const { state, reload, set } = useLoad(`auth-clients:${workspace.id}`, () =>
    Api.authClients(workspace.id),
  );
  const [generating, setGenerating] = useState(false);
  const [created, setCreated] = useState<CreatedAuthClient | undefined>();
  const [revoking, setRevoking] = useState<AuthClientView | undefined>();
  const [notice, setNotice] = useState<string | undefined>();
  const admin = canAdminister(workspace.role);
  const moduleEnabled = state.status === 'ready' && state.data.moduleEnabled;

  const revoked = (client: AuthClientView): void => {
    if (state.status === 'ready') {
      const clients = state.data.clients.map((entry) =>
        entry.clientId === client.clientId ? client : entry,
      );
      set({ ...state.data, clients });
    }
    setRevoking(undefined);
    setNotice(`Access revoked for ${client.name}.`);
  };

  return (
    <div className="card">
      <div className="card-header">
        <h2>Authentication Clients</h2>
        {admin && moduleEnabled ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => {
              setNotice(undefined);
              setGenerating(true);
            }}
          >
            Generate new Auth Client
          </button>
        ) : null}
      </div>
      <p className="muted">
        Integrations of the Async Events API get short-lived access tokens at the gateway with a
        client id and secret (OAuth2 client credentials). Revoking a client stops its tokens at
        once.
      </p>
      {state.status === 'ready' && !state.data.moduleEnabled ? (
        <ModuleOffNote
          module="asyncEvents"
          workspace={workspace}
          blocked="new auth clients can be generated"
        >
          No new auth client can be generated. Existing clients stay listed and can still be
          revoked.
        </ModuleOffNote>
      ) : null}
      {state.status === 'ready' && !admin ? (
        <p className="muted">
          You have read-only access: workspace admins generate and revoke auth clients.
        </p>
      ) : null}
      {notice === undefined ? null : <Alert kind="success">{notice}</Alert>}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' && state.data.clients.length === 0 ? (
        <p className="empty">
          No auth clients yet
          {admin && moduleEnabled ? ': generate the first one with the button above.' : '.'}
        </p>
      ) : null}
      {state.status === 'ready' && state.data.clients.length > 0 ? (
        <AuthClientsTable
          clients={state.data.clients}
          canRevoke={admin}
          onRevoke={(client) => {
            setNotice(undefined);
            setRevoking(client);
          }}
        />
      ) : null}
      {generating ? (
        <GenerateAuthClientDialog
          workspace={workspace}
          onCancel={() => setGenerating(false)}
          onCreated={(client) => {
            setGenerating(false);
            setCreated(client);
            reload();
          }}
          onModuleOff={reload}
        />
      ) : null}
      {created === undefined ? null : (
        <AuthClientSecretDialog client={created} onClose={() => setCreated(undefined)} />
      )}
      {revoking === undefined ? null : (
        <RevokeAuthClientDialog
          workspace={workspace}
          client={revoking}
          onCancel={() => setRevoking(undefined)}
          onRevoked={revoked}
        />
      )}
    </div>
  );
}
