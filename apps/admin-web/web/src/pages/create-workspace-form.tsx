import { useState, type SubmitEvent } from 'react';
import { Api } from '../api/endpoints.js';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { formProblems } from '../components/field-message-rules.js';
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

  const problems = formProblems(error, { id: 'Workspace id', name: 'Name' });
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
          hint={problems.field('id') === undefined ? idHint : undefined}
          error={problems.field('id')}
        />
        <Field
          label="Name"
          name="name"
          required
          maxLength={100}
          placeholder="ACME Loyalty"
          value={name}
          onChange={(event) => setName(event.target.value)}
          error={problems.field('name')}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create workspace'}
        </button>
      </form>
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
    </section>
  );
}
