import { useState } from 'react';
import { Api, type WorkspaceModules, type WorkspaceView } from '../api/endpoints.js';
import { Alert } from '../components/alert.js';
import { messageOf } from '../components/format.js';
import { MODULES } from '../components/module-badges.js';
import { canSwitchModules } from '../roles.js';

/** Modules of the workspace; operators switch them, everyone else sees their state. */
export function ModulesTab({
  workspace,
  onChange,
}: {
  workspace: WorkspaceView;
  onChange: (workspace: WorkspaceView) => void;
}) {
  const [busy, setBusy] = useState<keyof WorkspaceModules | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saved, setSaved] = useState<string | undefined>();
  const editable = canSwitchModules(workspace.role);

  const toggle = (key: keyof WorkspaceModules, name: string, on: boolean): void => {
    setBusy(key);
    setError(undefined);
    setSaved(undefined);
    Api.setModules(workspace.id, { ...workspace.modules, [key]: on }).then(
      (updated) => {
        onChange(updated);
        setSaved(`${name} ${on ? 'enabled' : 'disabled'}.`);
        setBusy(undefined);
      },
      (caught: unknown) => {
        setError(messageOf(caught));
        setBusy(undefined);
      },
    );
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
                disabled={!editable || busy !== undefined}
                aria-describedby={`${id}-description`}
                onChange={(event) => toggle(module.key, module.name, event.target.checked)}
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
    </div>
  );
}
