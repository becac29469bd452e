import type { CreatedAuthClient } from '../../api/endpoints.js';
import { CopyButton } from '../../components/copy-button.js';
import { Dialog } from '../../components/dialog.js';

/**
 * The new client's secret, once: after this dialog closes nobody can see it again, so neither
 * Escape nor a click beside it closes it, only the explicit button.
 */
export function AuthClientSecretDialog({
  client,
  onClose,
}: {
  client: CreatedAuthClient;
  onClose: () => void;
}) {
  return (
    <Dialog
      title="Your new auth client"
      onClose={onClose}
      dismissible={false}
      actions={
        <button type="button" className="button button-primary" onClick={onClose}>
          I have stored the secret
        </button>
      }
    >
      <p className="warning" role="note">
        Copy the client secret now and store it somewhere safe.{' '}
        <strong>You will not see it again.</strong> If it is lost, generate a new auth client and
        revoke this one.
      </p>
      <dl className="settings">
        <dt>Name</dt>
        <dd>{client.name}</dd>
        <dt>Client ID</dt>
        <dd>
          <code className="secret-value" data-testid="new-client-id">
            {client.clientId}
          </code>
          <CopyButton value={client.clientId} label="Copy the client id" />
        </dd>
        <dt>Client secret</dt>
        <dd>
          <code className="secret-value" data-testid="client-secret">
            {client.clientSecret}
          </code>
          <CopyButton value={client.clientSecret} label="Copy the client secret" />
        </dd>
        <dt>Token issuer</dt>
        <dd>
          <code className="break-all">{client.issuer}</code>
        </dd>
      </dl>
    </Dialog>
  );
}
