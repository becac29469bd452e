import { useId, useState, type SubmitEvent } from 'react';
import { Api, type ApiEntry, type EnforcementView, type WorkspaceView } from '../api/endpoints.js';
import { Revisioned, staleState } from '../api/revisioned.js';
import { Alert, Loading } from '../components/alert.js';
import { ApiLabels } from '../components/api-labels.js';
import { ConflictNote } from '../components/conflict-note.js';
import { Dialog } from '../components/dialog.js';
import { lastChange, messageOf } from '../components/format.js';
import { ModuleOffNote } from '../components/module-off-note.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { useUnsavedChanges } from '../unsaved-changes.js';

function sameSet(a: ReadonlySet<string>, b: readonly string[]): boolean {
  return a.size === b.length && b.every((api) => a.has(api));
}

const namesOf = (catalog: readonly ApiEntry[], ids: readonly string[]): string[] =>
  catalog.filter((api) => ids.includes(api.id)).map((api) => api.name);

/** Asks before APIs stop requiring signed requests. */
function RemoveDialog({
  names,
  onConfirm,
  onCancel,
}: {
  names: readonly string[];
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Dialog
      title="Stop requiring signed requests?"
      role="alertdialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={onConfirm}>
            Stop enforcing
          </button>
        </>
      }
    >
      <p className="warning">
        Once saved, plain <code>api_key</code> requests (no signature) are{' '}
        <strong>accepted again at once</strong> on:
      </p>
      <ul aria-label="No longer enforced">
        {names.map((name) => (
          <li key={name}>{name}</li>
        ))}
      </ul>
    </Dialog>
  );
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
  const [confirming, setConfirming] = useState<readonly string[] | undefined>();
  const [conflict, setConflict] = useState<EnforcementView | undefined>();
  const dirty = !sameSet(checked, view.apis);
  useUnsavedChanges('the signature enforcement', dirty);
  // in catalog order, which is how the API answers too
  const wanted = catalog.map((api) => api.id).filter((api) => checked.has(api));

  const store = (base: EnforcementView): void => {
    setBusy(true);
    setError(undefined);
    setStatus(undefined);
    Revisioned.setSignatureEnforcement(workspace.id, wanted, base.revision).then(
      (saved) => {
        setConflict(undefined);
        onSaved(saved);
        setChecked(new Set<string>(saved.apis));
        const names = namesOf(catalog, saved.apis);
        setStatus(
          names.length === 0
            ? 'Saved: no API requires signed requests.'
            : `Saved: signed requests required on ${names.join(', ')}.`,
        );
        setBusy(false);
      },
      (caught: unknown) => {
        const stale = staleState<EnforcementView>(caught);
        if (stale) setConflict(stale.current);
        else setError(messageOf(caught));
        setBusy(false);
      },
    );
  };

  const save = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const removed = view.apis.filter((api) => !checked.has(api));
    if (removed.length > 0) setConfirming(namesOf(catalog, removed));
    else store(view);
  };

  return (
    <form onSubmit={save} aria-labelledby={`${id}-legend`}>
      {conflict === undefined ? null : (
        <ConflictNote
          what="The signature enforcement was"
          by={conflict.updatedBy}
          at={conflict.updatedAt}
          busy={busy}
          onReload={() => {
            onSaved(conflict);
            setChecked(new Set<string>(conflict.apis));
            setConflict(undefined);
          }}
          onReapply={() => store(conflict)}
        >
          <p>
            Signed requests are now required on:{' '}
            {conflict.apis.length === 0 ? 'no API' : namesOf(catalog, conflict.apis).join(', ')}.
            Re-applying saves your selection instead.
          </p>
        </ConflictNote>
      )}
      <fieldset className="check-group" disabled={!editable || busy || conflict !== undefined}>
        <legend id={`${id}-legend`}>APIs that require signed requests</legend>
        <ul className="check-list">
          {catalog.map((api) => (
            <li key={api.id}>
              <input
                type="checkbox"
                id={`${id}-${api.id}`}
                checked={checked.has(api.id)}
                onChange={(event) => {
                  const next = new Set(checked);
                  if (event.target.checked) next.add(api.id);
                  else next.delete(api.id);
                  setChecked(next);
                  setStatus(undefined);
                }}
              />
              <label htmlFor={`${id}-${api.id}`}>{api.name}</label>
              <ApiLabels api={api} />
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
            <button
              type="submit"
              className="button button-primary"
              disabled={!dirty || busy || conflict !== undefined}
            >
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
      {confirming === undefined ? null : (
        <RemoveDialog
          names={confirming}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            setConfirming(undefined);
            store(view);
          }}
        />
      )}
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
