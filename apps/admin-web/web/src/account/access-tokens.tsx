import { useId, useState, type SubmitEvent } from 'react';
import { AccountApi, type AccessTokenView, type CreatedAccessToken } from '../api/account.js';
import { Alert, Loading } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { Field } from '../components/field.js';
import { formProblems } from '../components/field-message-rules.js';
import { formatDateTime, messageOf } from '../components/format.js';
import { ScrollTable } from '../components/scroll-table.js';
import { SecretValue, ShownOnceDialog } from '../components/shown-once-dialog.js';
import type { Loaded } from '../hooks.js';

const VALIDITY_DAYS = [7, 30, 90, 365] as const;

function statusOf(token: AccessTokenView, now: number): 'active' | 'revoked' | 'expired' {
  if (token.revokedAt !== null) return 'revoked';
  return Date.parse(token.expiresAt) <= now ? 'expired' : 'active';
}

/** The new token, once: only its hash is kept. */
function NewTokenDialog({ token, onClose }: { token: CreatedAccessToken; onClose: () => void }) {
  return (
    <ShownOnceDialog
      title="Your new access token"
      secret="the token"
      stored="token"
      afterwards={
        <>
          Automation sends it as <code>Authorization: Bearer …</code>; it acts with your roles until{' '}
          {formatDateTime(token.expiresAt)}.
        </>
      }
      onClose={onClose}
    >
      <SecretValue value={token.token} copyLabel="Copy the access token" testId="access-token" />
    </ShownOnceDialog>
  );
}

function RevokeDialog({
  token,
  onDone,
  onCancel,
}: {
  token: AccessTokenView;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const revoke = (): void => {
    setBusy(true);
    AccountApi.revokeAccessToken(token.id).then(onDone, (caught: unknown) => {
      setError(messageOf(caught));
      setBusy(false);
    });
  };
  return (
    <Dialog
      title="Revoke this access token?"
      role="alertdialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={revoke} disabled={busy}>
            Revoke
          </button>
        </>
      }
    >
      <p>
        <strong>{token.name}</strong> (<code>{token.hint}…</code>) stops working at once, for every
        automation that uses it.
      </p>
      {error === undefined ? null : <Alert>{error}</Alert>}
    </Dialog>
  );
}

function CreateTokenForm({ onCreated }: { onCreated: (token: CreatedAccessToken) => void }) {
  const validityId = useId();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number>(30);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const problems = formProblems(error, { name: 'Name', expiresAt: 'Valid for' });

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    const expiresAt = new Date(Date.now() + days * 86_400_000).toISOString();
    AccountApi.createAccessToken(name.trim(), expiresAt).then(
      (token) => {
        setName('');
        setBusy(false);
        onCreated(token);
      },
      (caught: unknown) => {
        setError(caught);
        setBusy(false);
      },
    );
  };

  return (
    <form className="subform" onSubmit={submit} noValidate aria-labelledby={`${validityId}-title`}>
      <h3 id={`${validityId}-title`}>Create a token</h3>
      <div className="form-row">
        <Field
          label="Name"
          required
          maxLength={100}
          placeholder="terraform-ci"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={problems.field('name')}
        />
        <div className="field">
          <label htmlFor={validityId}>Valid for</label>
          <select
            id={validityId}
            value={days}
            onChange={(event) => setDays(Number(event.target.value))}
          >
            {VALIDITY_DAYS.map((each) => (
              <option key={each} value={each}>
                {each} days
              </option>
            ))}
          </select>
          {problems.field('expiresAt') === undefined ? null : (
            <p className="field-error">{problems.field('expiresAt')}</p>
          )}
        </div>
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create token'}
        </button>
      </div>
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
    </form>
  );
}

/** Personal access tokens for automation: created (shown once), listed with last use, revoked. */
export function AccessTokens({
  state,
  reload,
}: {
  state: Loaded<readonly AccessTokenView[]>;
  reload: () => void;
}) {
  const [created, setCreated] = useState<CreatedAccessToken | undefined>();
  const [revoking, setRevoking] = useState<AccessTokenView | undefined>();
  const now = Date.now();
  return (
    <section aria-labelledby="tokens-title">
      <h2 id="tokens-title">Personal access tokens</h2>
      <p className="field-hint">
        For CI pipelines and scripts: a token acts with your roles on the management API.
      </p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' && state.data.length === 0 ? (
        <p className="empty">No access tokens yet.</p>
      ) : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <ScrollTable
          label="Access tokens"
          columns={['Name', 'Token', 'Last used', 'Expires', 'Status']}
          actions="plain"
          stack
        >
          {state.data.map((token) => {
            const status = statusOf(token, now);
            return (
              <tr key={token.id}>
                <td className="token-name">{token.name}</td>
                <td data-label="Token">
                  <code>{token.hint}…</code>
                </td>
                <td data-label="Last used">
                  {token.lastUsedAt === null ? 'Never' : formatDateTime(token.lastUsedAt)}
                </td>
                <td data-label="Expires">{formatDateTime(token.expiresAt)}</td>
                <td data-label="Status">
                  <span className={`badge badge-${status}`}>{status}</span>
                </td>
                <td className="actions">
                  {status === 'active' ? (
                    <button
                      type="button"
                      className="button button-small button-danger-ghost"
                      onClick={() => setRevoking(token)}
                      aria-label={`Revoke ${token.name}`}
                    >
                      Revoke
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </ScrollTable>
      ) : null}
      <CreateTokenForm
        onCreated={(token) => {
          setCreated(token);
          reload();
        }}
      />
      {created === undefined ? null : (
        <NewTokenDialog token={created} onClose={() => setCreated(undefined)} />
      )}
      {revoking === undefined ? null : (
        <RevokeDialog
          token={revoking}
          onCancel={() => setRevoking(undefined)}
          onDone={() => {
            setRevoking(undefined);
            reload();
          }}
        />
      )}
    </section>
  );
}
