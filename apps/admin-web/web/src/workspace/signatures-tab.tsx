import { useId, useState, type SubmitEvent } from 'react';
import { Api, type ApiEntry, type EnforcementView, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { lastChange, messageOf } from '../components/format.js';
import { ModuleOffNote } from '../components/module-off-note.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';

function sameSet(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((api) => a.has(api));
}

/** A checkbox per API of the catalog; Save replaces the whole set of enforced APIs. */
function EnforcementForm({
  workspace,
  view,
  catalog,
  editable,
  onSaved,
}: {
  workspace: WorkspaceView;
  view: EnforcementView;
  catalog: readonly ApiEntry[];
  editable: boolean;
  onSaved: (view: EnforcementView) => void;
}) {
  const id = useId();
  const [checked, setChecked] = useState<ReadonlySet<string>>(() => new Set(view.apis));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const dirty = !sameSet(checked, view.apis);

  const toggle = (api: string, on: boolean): void => {
    const next = new Set(checked);
    if (on) next.add(api);
    else next.delete(api);
    setChecked(next);
    setStatus(undefined);
  };

  const save = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    // in catalog order, which is how the API answers too
    const apis = catalog.map((api) => api.id).filter((api) => checked.has(api));
    Api.setSignatureEnforcement(workspace.id, apis).then(
      (saved) => {
        onSaved(saved);
        const enforced = new Set<string>(saved.apis);
        setChecked(enforced);
        const names = catalog.filter((api) => enforced.has(api.id)).map((api) => api.name);
        setStatus(
          names.length === 0
            ? 'Saved: no API requires signed requests.'
            : `Saved: signed requests required on ${names.join(', ')}.`,
        );
        setBusy(false);
      },
      (caught: unknown) => {
        setError(messageOf(caught));
        setBusy(false);
      },
    );
  };

  return (
    <form onSubmit={save} aria-labelledby={`${id}-legend`}>
      <fieldset className="check-group" disabled={!editable || busy}>
        <legend id={`${id}-legend`}>APIs that require signed requests</legend>
        <ul className="check-list">
          {catalog.map((api) => (
            <li key={api.id}>
              <input
                type="checkbox"
                id={`${id}-${api.id}`}
                checked={checked.has(api.id)}
                onChange={(event) => toggle(api.id, event.target.checked)}
              />
              <label htmlFor={`${id}-${api.id}`}>{api.name}</label>
              <code className="api-id" aria-hidden="true">
                {api.id}
              </code>
            </li>
          ))}
        </ul>
      </fieldset>
      {error === undefined ? null : <Alert>{error}</Alert>}
      {editable ? (
        <>
          <div className="form-actions">
            <button type="submit" className="button button-primary" disabled={!dirty || busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            <button
              type="button"
              className="button"
              disabled={!dirty || busy}
              onClick={() => {
                setChecked(new Set(view.apis));
                setError(undefined);
              }}
            >
              Discard changes
            </button>
            {dirty ? <span className="muted">Unsaved changes</span> : null}
          </div>
          <p className="status-line" role="status">
            {status}
          </p>
        </>
      ) : null}
    </form>
  );
}

/** Which APIs refuse plain `api_key` requests; admins change the set while the module is on. */
export function SignaturesTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, set } = useLoad(`signatures:${workspace.id}`, () =>
    Promise.all([Api.signatureEnforcement(workspace.id), Api.apis()]),
  );
  const admin = canAdminister(workspace.role);
  return (
    <div className="card">
      <h2>Signature enforcement</h2>
      <p>
        On a checked API, requests that send the key as a plain <code>api_key</code> are refused
        with <strong>401</strong> (“This API requires a signed request”). Requests signed with the
        API secret (Escher) keep working. Unchecked APIs accept both.
      </p>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' ? (
        <>
          {state.data[0].moduleEnabled ? null : (
            <ModuleOffNote module="signatureCheck" workspace={workspace}>
              The gateway does not enforce signatures: every API accepts plain <code>api_key</code>{' '}
              requests.
            </ModuleOffNote>
          )}
          {state.data[0].moduleEnabled && !admin ? (
            <p className="muted">
              You have read-only access: workspace admins change which APIs require signatures.
            </p>
          ) : null}
          <EnforcementForm
            workspace={workspace}
            view={state.data[0]}
            catalog={state.data[1]}
            editable={admin && state.data[0].moduleEnabled}
            onSaved={(view) => set([view, state.data[1]])}
          />
          <p className="meta">{lastChange(state.data[0].updatedAt, state.data[0].updatedBy)}</p>
        </>
      ) : null}
    </div>
  );
}
