import { useState } from 'react';
import { Api, type AuthClientView, type WorkspaceView } from '../../api/endpoints.js';
import { Alert } from '../../components/alert.js';
import { Dialog } from '../../components/dialog.js';
import { messageOf } from '../../components/format.js';

/** Revoking is irreversible and stops the client's live tokens at once: confirm first. */
export function RevokeAuthClientDialog({
  workspace,
  client,
  onCancel,
  onRevoked,
}: {
  workspace: WorkspaceView;
  client: AuthClientView;
  onCancel: () => void;
  onRevoked: (client: AuthClientView) => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const revoke = (): void => {
    setBusy(true);
    setError(undefined);
    Api.revokeAuthClient(workspace.id, client.clientId).then(onRevoked, (caught: unknown) => {
      setError(messageOf(caught));
      setBusy(false);
    });
  };
  return (
    <Dialog
      title={`Revoke access for ${client.name}?`}
      role="alertdialog"
      onClose={busy ? () => undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={revoke} disabled={busy}>
            {busy ? 'Revoking…' : 'Revoke access'}
          </button>
        </>
      }
    >
      <p className="warning">
        <strong>This cannot be undone.</strong> The client <code>{client.clientId}</code> gets no
        new tokens, and every token it already holds <strong>stops working at once</strong>. The
        integration using it is refused until it has a new auth client.
      </p>
      {error === undefined ? null : <Alert>{error}</Alert>}
    </Dialog>
  );
}
