import type { NewCredentials } from '../api/endpoints.js';
import { CopyButton } from '../components/copy-button.js';
import { Dialog } from '../components/dialog.js';

export function ConfirmGenerateDialog({
  currentKey,
  busy,
  onConfirm,
  onCancel,
}: {
  currentKey: string | undefined;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title="Generate new credentials?"
      role="alertdialog"
      onClose={busy ? () => undefined : onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} disabled={busy} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={onConfirm}
            disabled={busy}
          >
            {busy ? 'Generating…' : 'Generate new credentials'}
          </button>
        </>
      }
    >
      {currentKey === undefined ? (
        <p>A new API key and secret will be created for this workspace.</p>
      ) : (
        <p className="warning">
          The current API key <code>{currentKey}</code> and its secret{' '}
          <strong>stop working at once</strong>. Every integration using them is refused until it
          has the new ones.
        </p>
      )}
    </Dialog>
  );
}

/**
 * The new secret, once: after this dialog closes nobody can see it again, so only its
 * confirmation closes it (not Escape).
 */
export function NewSecretDialog({
  credentials,
  onClose,
}: {
  credentials: NewCredentials;
  onClose: () => void;
}) {
  return (
    <Dialog
      title="Your new API credentials"
      onClose={onClose}
      dismissible={false}
      actions={
        <button type="button" className="button button-primary" onClick={onClose}>
          I have stored the secret
        </button>
      }
    >
      <p className="warning" role="note">
        Copy the API secret now and store it somewhere safe.{' '}
        <strong>You will not see it again.</strong> If it is lost, generate new credentials.
      </p>
      <dl className="settings">
        <dt>API key</dt>
        <dd>
          <code className="secret-value">{credentials.apiKey}</code>
          <CopyButton value={credentials.apiKey} label="Copy the API key" />
        </dd>
        <dt>API secret</dt>
        <dd>
          <code className="secret-value" data-testid="api-secret">
            {credentials.apiSecret}
          </code>
          <CopyButton value={credentials.apiSecret} label="Copy the API secret" />
        </dd>
        <dt>Credential scope</dt>
        <dd>
          <code>{credentials.credentialScope}</code>
        </dd>
      </dl>
    </Dialog>
  );
}
