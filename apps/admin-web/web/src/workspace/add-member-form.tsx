import { useId, useState, type SubmitEvent } from 'react';
import { MEMBER_ROLES, type MemberRole } from '@loyalty-edge/management-contracts';
import { ApiError } from '../api/client.js';
import { Api, type WorkspaceView } from '../api/endpoints.js';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { messageOf } from '../components/format.js';

function isRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}

export function AddMemberForm({
  workspace,
  onAdded,
}: {
  workspace: WorkspaceView;
  onAdded: () => void;
}) {
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [added, setAdded] = useState<string | undefined>();

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setAdded(undefined);
    const member = { email: email.trim(), role, ...(password === '' ? {} : { password }) };
    Api.addMember(workspace.id, member).then(
      (view) => {
        setAdded(`${view.email} added as ${view.role}.`);
        setEmail('');
        setPassword('');
        setBusy(false);
        onAdded();
      },
      (caught: unknown) => {
        setError(caught);
        setBusy(false);
      },
    );
  };
  const fieldError = (field: string): string | undefined =>
    error instanceof ApiError ? error.fieldMessage(field) : undefined;

  return (
    <form className="subform" onSubmit={submit} aria-labelledby={`${roleId}-title`}>
      <h3 id={`${roleId}-title`}>Add a member</h3>
      <div className="form-row">
        <Field
          label="Email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={fieldError('email')}
        />
        <div className="field">
          <label htmlFor={roleId}>Role</label>
          <select
            id={roleId}
            value={role}
            onChange={(event) => {
              if (isRole(event.target.value)) setRole(event.target.value);
            }}
          >
            <option value="viewer">Viewer (read only)</option>
            <option value="admin">Admin</option>
          </select>
        </div>
        <Field
          label="Initial password"
          type="password"
          autoComplete="new-password"
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          hint="Only for a new account: 12 or more characters."
          error={fieldError('password')}
        />
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add member'}
        </button>
      </div>
      {error === undefined ? null : <Alert>{messageOf(error)}</Alert>}
      {added === undefined ? null : <Alert kind="success">{added}</Alert>}
    </form>
  );
}
