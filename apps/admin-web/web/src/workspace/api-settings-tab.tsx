import { useState } from 'react';
import {
  Api,
  type CredentialsView,
  type NewCredentials,
  type WorkspaceView,
} from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { CopyButton } from '../components/copy-button.js';
import { formatDateTime, messageOf } from '../components/format.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { ConfirmGenerateDialog, NewSecretDialog } from './credentials-dialogs.js';

function CredentialsCard({ credentials }: { credentials: CredentialsView }) {
  const { active } = credentials;
  return (
    <dl className="settings">
      <dt>API key</dt>
      <dd>
        {active === null ? (
          <span className="muted">No credentials yet</span>
        ) : (
          <>
            <code className="secret-value" data-testid="api-key">
              {active.apiKey}
            </code>
            <CopyButton value={active.apiKey} label="Copy the API key" />
          </>
        )}
      </dd>
      <dt>API secret</dt>
      <dd className="muted">Shown only once, when credentials are generated.</dd>
      {active === null ? null : (
        <>
          <dt>Status</dt>
          <dd>
            <span className={`badge badge-${active.status}`}>{active.status}</span> version{' '}
            {active.version}
          </dd>
          <dt>Generated</dt>
          <dd>
            {formatDateTime(active.createdAt)} by {active.createdBy}
          </dd>
        </>
      )}
      <dt>Credential scope</dt>
      <dd>
        <code>{credentials.credentialScope}</code>
      </dd>
      <dt>Base URL</dt>
      <dd>
        <code>{credentials.baseUrl}</code>
      </dd>
    </dl>
  );
}

/** The workspace's API key (always visible), new credentials with the secret shown once. */
export function ApiSettingsTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, reload } = useLoad(`credentials:${workspace.id}`, () =>
    Api.credentials(workspace.id),
  );
  const [step, setStep] = useState<'idle' | 'confirm' | 'generating'>('idle');
  const [secret, setSecret] = useState<NewCredentials | undefined>();
  const [error, setError] = useState<string | undefined>();

  const generate = (): void => {
    setStep('generating');
    setError(undefined);
    Api.generateCredentials(workspace.id).then(
      (generated) => {
        setSecret(generated);
        setStep('idle');
        reload();
      },
      (caught: unknown) => {
        setError(messageOf(caught));
        setStep('idle');
      },
    );
  };

  const current = state.status === 'ready' ? state.data.active : null;
  return (
    <div className="card">
      <div className="card-header">
        <h2>API credentials</h2>
        {canAdminister(workspace.role) ? (
          <button
            type="button"
            className="button button-primary"
            onClick={() => setStep('confirm')}
          >
            Generate new credentials
          </button>
        ) : null}
      </div>
      <p className="muted">
        Integrations call the gateway with the API key, signing requests with the secret (Escher) or
        sending the key as <code>api_key</code>.
      </p>
      {error === undefined ? null : <Alert>{error}</Alert>}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? <CredentialsCard credentials={state.data} /> : null}
      {step === 'idle' ? null : (
        <ConfirmGenerateDialog
          currentKey={current?.apiKey}
          busy={step === 'generating'}
          onConfirm={generate}
          onCancel={() => setStep('idle')}
        />
      )}
      {secret === undefined ? null : (
        <NewSecretDialog credentials={secret} onClose={() => setSecret(undefined)} />
      )}
    </div>
  );
}
