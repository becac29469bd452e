import { useState } from 'react';
import type { WorkspaceModules, WorkspaceView } from '../api/endpoints.js';
import { Revisioned, staleState } from '../api/revisioned.js';
import { Alert } from '../components/alert.js';
import { ConflictNote } from '../components/conflict-note.js';
import { messageOf } from '../components/format.js';
import { MODULES } from '../components/module-badges.js';
import { canSwitchModules } from '../roles.js';
import { ModuleOffDialog, type GuardedModule } from './module-off-dialog.js';

type ModuleKey = keyof WorkspaceModules;

interface Switch {
  readonly key: ModuleKey;
  readonly on: boolean;
}

const nameOf = (key: ModuleKey): string =>
  MODULES.find((module) => module.key === key)?.name ?? key;

const isGuarded = (key: ModuleKey): key is GuardedModule =>
  key === 'ipFilter' || key === 'signatureCheck';

/**
 * Modules of the workspace; operators switch them, one per request, from the revision they see
 * (a switch made by someone else meanwhile is shown, never undone). Switching off what enforces
 * something (IP filter, signatures) asks first.
 */
export function ModulesTab({
  workspace,
  onChange,
}: {
  workspace: WorkspaceView;
  onChange: (workspace: WorkspaceView) => void;
}) {
  const [busy, setBusy] = useState<ModuleKey | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const [confirming, setConfirming] = useState<Switch | undefined>();
  const [conflict, setConflict] = useState<{ wanted: Switch; current: WorkspaceView }>();
  const editable = canSwitchModules(workspace.role);

  const apply = (wanted: Switch, revision: number): void => {
    setBusy(wanted.key);
    setError(undefined);
    setSaved(undefined);
    Revisioned.setModule(workspace.id, wanted.key, wanted.on, revision).then(
      (updated) => {
        setConflict(undefined);
        onChange(updated);
        setSaved(`${nameOf(wanted.key)} ${wanted.on ? 'enabled' : 'disabled'}.`);
        setBusy(undefined);
      },
      (caught: unknown) => {
        const stale = staleState<WorkspaceView>(caught);
        if (stale) setConflict({ wanted, current: stale.current });
        else setError(messageOf(caught));
        setBusy(undefined);
      },
    );
  };

  const toggle = (wanted: Switch): void => {
    if (!wanted.on && isGuarded(wanted.key)) setConfirming(wanted);
    else apply(wanted, workspace.modulesRevision);
  };

  return (
    <div className="card">
      <h2>Modules</h2>
      {editable ? null : (
        <p className="muted">
          Only operators can switch modules. Ask your operator to change them.
        </p>
      )}
      {error === undefined ? null : <Alert>{error}</Alert>}
      {conflict === undefined ? null : (
        <ConflictNote
          what="The modules were"
          busy={busy !== undefined}
          reapplyLabel={`${conflict.wanted.on ? 'Turn on' : 'Turn off'} ${nameOf(conflict.wanted.key)} again`}
          onReload={() => {
            onChange(conflict.current);
            setConflict(undefined);
          }}
          onReapply={() => apply(conflict.wanted, conflict.current.modulesRevision)}
        >
          <p>Now:</p>
          <ul aria-label="Modules now">
            {MODULES.map((module) => (
              <li key={module.key}>
                {module.name}: {conflict.current.modules[module.key] ? 'on' : 'off'}
              </li>
            ))}
          </ul>
        </ConflictNote>
      )}
      <ul className="module-list">
        {MODULES.map((module) => {
          const id = `module-${module.key}`;
          return (
            <li key={module.key} className="module-item">
              <input
                type="checkbox"
                role="switch"
                id={id}
                className="switch"
                checked={workspace.modules[module.key]}
                disabled={!editable || busy !== undefined || conflict !== undefined}
                aria-describedby={`${id}-description`}
                onChange={(event) => toggle({ key: module.key, on: event.target.checked })}
              />
              <div>
                <label htmlFor={id} className="module-name">
                  {module.name}
                </label>
                <p id={`${id}-description`} className="muted">
                  {module.description}
                </p>
              </div>
              <span className="module-state" aria-hidden="true">
                {busy === module.key ? 'Saving…' : workspace.modules[module.key] ? 'On' : 'Off'}
              </span>
            </li>
          );
        })}
      </ul>
      <p className="status-line" role="status">
        {saved}
      </p>
      {confirming === undefined || !isGuarded(confirming.key) ? null : (
        <ModuleOffDialog
          workspace={workspace}
          module={confirming.key}
          name={nameOf(confirming.key)}
          onCancel={() => setConfirming(undefined)}
          onConfirm={() => {
            setConfirming(undefined);
            apply(confirming, workspace.modulesRevision);
          }}
        />
      )}
    </div>
  );
}
