import { useState } from 'react';
import { Api, type MemberView, type WorkspaceView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { Dialog } from '../components/dialog.js';
import { formatDateTime, messageOf } from '../components/format.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { AddMemberForm } from './add-member-form.js';

function RemoveDialog({
  member,
  workspace,
  onDone,
  onCancel,
}: {
  member: MemberView;
  workspace: WorkspaceView;
  onDone: () => void;
  onCancel: () => void;
}) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const remove = (): void => {
    setBusy(true);
    Api.removeMember(workspace.id, member.id).then(onDone, (caught: unknown) => {
      setError(messageOf(caught));
      setBusy(false);
    });
  };
  const invited = member.status === 'invited';
  return (
    <Dialog
      title={invited ? 'Revoke this invitation?' : 'Remove this member?'}
      role="alertdialog"
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel} autoFocus>
            Cancel
          </button>
          <button type="button" className="button button-danger" onClick={remove} disabled={busy}>
            {invited ? 'Revoke' : 'Remove'}
          </button>
        </>
      }
    >
      <p>
        {invited ? (
          <>
            The invitation link of <strong>{member.email}</strong> stops working at once.
          </>
        ) : (
          <>
            <strong>{member.email}</strong> loses access to {workspace.name} at once.
          </>
        )}
      </p>
      {error === undefined ? null : <Alert>{error}</Alert>}
    </Dialog>
  );
}

/** Active, or invited with the link's expiry (an expired link is renewed by inviting again). */
function MemberStatus({ member }: { member: MemberView }) {
  if (member.status === 'active') return <span className="badge badge-active">active</span>;
  const expired = member.expiresAt !== null && Date.parse(member.expiresAt) <= Date.now();
  return (
    <>
      <span className={`badge ${expired ? 'badge-expired' : 'badge-invited'}`}>
        {expired ? 'invitation expired' : 'invited'}
      </span>
      {member.expiresAt === null || expired ? null : (
        <span className="cell-note"> until {formatDateTime(member.expiresAt)}</span>
      )}
    </>
  );
}

export function MembersTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, reload } = useLoad(`members:${workspace.id}`, () => Api.members(workspace.id));
  const [removing, setRemoving] = useState<MemberView | undefined>();
  const admin = canAdminister(workspace.role);

  return (
    <div className="card">
      <h2>Members</h2>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' && state.data.length === 0 ? (
        <p className="empty">No members yet{admin ? ': add the first one below.' : '.'}</p>
      ) : null}
      {state.status === 'ready' && state.data.length > 0 ? (
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">Added</th>
              {admin ? (
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              ) : null}
            </tr>
          </thead>
          <tbody>
            {state.data.map((member) => (
              <tr key={member.id}>
                <td>{member.email}</td>
                <td>
                  <span className={`badge badge-${member.role}`}>{member.role}</span>
                </td>
                <td>
                  <MemberStatus member={member} />
                </td>
                <td>{formatDateTime(member.addedAt)}</td>
                {admin ? (
                  <td className="actions">
                    <button
                      type="button"
                      className="button button-small button-danger-ghost"
                      onClick={() => setRemoving(member)}
                      aria-label={
                        member.status === 'invited'
                          ? `Revoke the invitation of ${member.email}`
                          : `Remove ${member.email}`
                      }
                    >
                      {member.status === 'invited' ? 'Revoke' : 'Remove'}
                    </button>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {admin ? <AddMemberForm workspace={workspace} onAdded={reload} /> : null}
      {removing === undefined ? null : (
        <RemoveDialog
          member={removing}
          workspace={workspace}
          onCancel={() => setRemoving(undefined)}
          onDone={() => {
            setRemoving(undefined);
            reload();
          }}
        />
      )}
    </div>
  );
}
