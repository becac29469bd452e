import { Api, type ApiEntry, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { plural } from '../components/format.js';
import { useLoad } from '../hooks.js';

/** The modules whose switching off stops enforcing something, and so asks first. */
export type GuardedModule = 'ipFilter' | 'signatureCheck';

interface Affected {
  /** "Customer (3 entries)", or "Events". */
  readonly apis: readonly string[];
}

const nameOf = (catalog: readonly ApiEntry[], id: string): string =>
  catalog.find((api) => api.id === id)?.name ?? id;

async function affected(workspace: WorkspaceView, module: GuardedModule): Promise<Affected> {
  const catalog = await Api.apis();
  if (module === 'ipFilter') {
    const { apis } = await Api.ipFilter(workspace.id);
    return {
      apis: apis
        .filter((list) => list.entries.length > 0)
        .map(
          (list) =>
            `${nameOf(catalog, list.api)} (${plural(list.entries.length, 'entry', 'entries')})`,
        ),
    };
  }
  const { apis } = await Api.signatureEnforcement(workspace.id);
  return { apis: apis.map((api) => nameOf(catalog, api)) };
}

function Consequence({ module, apis }: { module: GuardedModule; apis: readonly string[] }) {
  if (apis.length === 0) {
    return module === 'ipFilter' ? (
      <p>No API has an allow-list now, so no client is refused today.</p>
    ) : (
      <p>No API requires signed requests now, so nothing changes for clients today.</p>
    );
  }
  return (
    <>
      <p className="warning">
        {module === 'ipFilter' ? (
          <>
            The gateway <strong>stops enforcing these allow-lists at once</strong>: any address may
            then call
          </>
        ) : (
          <>
            Signed requests <strong>stop being required at once</strong>: plain <code>api_key</code>{' '}
            requests are accepted again on
          </>
        )}
      </p>
      <ul aria-label="No longer enforced">
        {apis.map((api) => (
          <li key={api}>{api}</li>
        ))}
      </ul>
      <p className="muted">
        {module === 'ipFilter' ? 'The lists are kept' : 'The set is kept'} and apply again when the
        module is switched back on.
      </p>
    </>
  );
}

/** Asks before a security module is switched off, saying what stops being enforced, where. */
export function ModuleOffDialog({
  workspace,
  module,
  name,
  onConfirm,
  onCancel,
}: {
  workspace: WorkspaceView;
  module: GuardedModule;
  name: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  const { state } = useLoad(`off:${workspace.id}:${module}`, () => affected(workspace, module));
  return (
    <Dialog
      title={`Turn ${name} off?`}
      role="alertdialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button
            type="button"
            className="button button-danger"
            onClick={onConfirm}
            disabled={state.status === 'loading'}
          >
            Turn {name} off
          </button>
        </>
      }
    >
      {state.status === 'loading' ? <Loading label="Checking what is enforced…" /> : null}
      {state.status === 'error' ? (
        <Alert>What is enforced now cannot be shown: {state.error.message}</Alert>
      ) : null}
      {state.status === 'ready' ? <Consequence module={module} apis={state.data.apis} /> : null}
    </Dialog>
  );
}
