import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api/client.js';
import { Api } from '../api/endpoints.js';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { messageOf } from '../components/format.js';
import { navigate, workspacePath } from '../router.js';
import { useSession } from '../session.js';

/** Operators only: a new workspace, then straight to its page. */
export function CreateWorkspaceForm({ onCreated }: { onCreated: () => void }) {
  const { refresh } = useSession();
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    Api.createWorkspace(id.trim(), name.trim()).then(
      async (workspace) => {
        onCreated();
        await refresh();
        navigate(workspacePath(workspace.id));
      },
      (caught: unknown) => {
        setError(caught);
        setBusy(false);
      },
    );
  };

  const fieldError = (field: string): string | undefined =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined;
  const idHint = 'Lowercase letters, digits and dashes, 3 to 40 characters. It cannot change.';

  return (
    <section className="card" aria-labelledby="create-workspace-title">
      <h2 id="create-workspace-title">Create a workspace</h2>
      <form className="form-row" onSubmit={submit}>
        <Field
          label="Workspace id"
          name="id"
          required
          placeholder="acme-loyalty"
          value={id}
          onChange={(event) => setId(event.target.value.toLowerCase())}
          hint={idHint}
          error={fieldError('id')}
        />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="ACME Loyalty"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={fieldError('name')}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
      {error === undefined ? null : <Alert>{messageOf(error)}</Alert>}
    </section>
  );
}
