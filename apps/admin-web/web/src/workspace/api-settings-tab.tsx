import { useEffect, useState } from 'react';
import {
  Api,
  type CredentialsView,
  type KeyUsage,
  type OverlappingKey,
  type NewCredentials,
  type WorkspaceView,
} from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { CopyButton } from '../components/copy-button.js';
import { formatDate, formatDateTime, messageOf, plural } from '../components/format.js';
import { useLoad } from '../hooks.js';
import { Link, workspacePath } from '../router.js';
import { canAdminister } from '../roles.js';
import { ConfirmGenerateDialog, NewSecretDialog } from './credentials-dialogs.js';

/** "2 h 05 min", "4 min 09 s": what is left of an overlap. */
function remaining(ms: number): string {
  const seconds = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const pad = (value: number): string => String(value).padStart(2, '0');
  return hours > 0 ? `${hours} h ${pad(minutes)} min` : `${minutes} min ${pad(seconds % 60)} s`;
}

/** The replaced key while it still works, counting down to the end of its overlap. */
function OverlapCountdown({
  previous,
  onEnded,
}: {
  previous: OverlappingKey;
  onEnded: () => void;
}) {
  const end = Date.parse(previous.validUntil);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);
  const ended = now >= end;
  useEffect(() => {
    if (ended) onEnded();
  }, [ended, onEnded]);
  return (
    <>
      <dt>Previous key</dt>
      <dd>
        <code className="secret-value">{previous.apiKey}</code>{' '}
        <span className="overlap-countdown" data-testid="overlap-countdown">
          {ended
            ? 'stopped working'
            : `still works for ${remaining(end - now)}, until ${formatDateTime(previous.validUntil)}`}
        </span>
      </dd>
    </>
  );
}

/** When the credentials were last used, and by how many client IPs. */
function usageText(usage: KeyUsage | null): string {
  if (usage === null) return 'Not known right now';
  if (usage.lastUsedOn === null) return `Not used in the last ${plural(usage.days, 'day', 'days')}`;
  const day = formatDate(usage.lastUsedOn);
  return `${day}, from ${plural(usage.clientIps, 'client IP', 'client IPs')} in the last ${plural(usage.days, 'day', 'days')}`;
}

function CredentialsCard({
  credentials,
  onOverlapEnded,
}: {
  credentials: CredentialsView;
  onOverlapEnded: () => void;
}) {
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
          <dt>Last used</dt>
          <dd data-testid="key-usage">{usageText(credentials.usage)}</dd>
          {active.previous === undefined ? null : (
            <OverlapCountdown previous={active.previous} onEnded={onOverlapEnded} />
          )}
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
      <dt>API documentation</dt>
      <dd>
        <a href={`${credentials.baseUrl.replace(/\/+$/, '')}/openapi.json`}>
          OpenAPI document (openapi.json)
        </a>{' '}
        served by the gateway
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

  const generate = (overlapSeconds: number): void => {
    setStep('generating');
    setError(undefined);
    Api.generateCredentials(workspace.id, overlapSeconds).then(
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
      <nav className="api-links" aria-label="API tools">
        <Link to={workspacePath(workspace.id, 'events')}>Open the API browser</Link>
        <Link to={workspacePath(workspace.id, 'api-reference')}>Read the API reference</Link>
      </nav>
      {error === undefined ? null : <Alert>{error}</Alert>}
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? (
        <CredentialsCard credentials={state.data} onOverlapEnded={reload} />
      ) : null}
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
