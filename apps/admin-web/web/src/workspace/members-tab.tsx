import { useState } from 'react';
import type { MemberView, WorkspaceView } from '../api/endpoints.js';
import { Revisioned, type MembersView } from '../api/revisioned.js';
import { Alert, Loading } from '../components/alert.js';
import { formatDateTime } from '../components/format.js';
import { ScrollTable } from '../components/scroll-table.js';
import { useLoad } from '../hooks.js';
import { canAdminister } from '../roles.js';
import { AddMemberForm } from './add-member-form.js';
import { RemoveDialog, RoleDialog } from './member-dialogs.js';

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

type Open = { readonly kind: 'role' | 'remove'; readonly member: MemberView };

function MembersTable({
  view,
  admin,
  onOpen,
}: {
  view: MembersView;
  admin: boolean;
  onOpen: (open: Open) => void;
}) {
  return (
    <ScrollTable
      label="Members"
      columns={['Email', 'Role', 'Status', 'Added']}
      actions={admin ? 'plain' : 'none'}
      stack
    >
      {view.members.map((member) => (
        <tr key={member.id}>
          <td className="email-cell">{member.email}</td>
          <td data-label="Role">
            <span className={`badge badge-${member.role}`}>{member.role}</span>
          </td>
          <td data-label="Status">
            <MemberStatus member={member} />
          </td>
          <td data-label="Added">{formatDateTime(member.addedAt)}</td>
          {admin ? (
            <td className="actions">
              <span className="row-actions">
                <button
                  type="button"
                  className="button button-small"
                  onClick={() => onOpen({ kind: 'role', member })}
                  aria-label={`Change role of ${member.email}`}
                >
                  Change role
                </button>
                <button
                  type="button"
                  className="button button-small button-danger-ghost"
                  onClick={() => onOpen({ kind: 'remove', member })}
                  aria-label={
                    member.status === 'invited'
                      ? `Revoke the invitation of ${member.email}`
                      : `Remove ${member.email}`
                  }
                >
                  {member.status === 'invited' ? 'Revoke' : 'Remove'}
                </button>
              </span>
            </td>
          ) : null}
        </tr>
      ))}
    </ScrollTable>
  );
}

/**
 * Who may work on the workspace. Every change names the revision of the list on screen: a
 * change by another admin meanwhile is shown, with a reload and a re-apply.
 */
export function MembersTab({ workspace }: { workspace: WorkspaceView }) {
  const { state, reload, set } = useLoad(`members:${workspace.id}`, () =>
    Revisioned.members(workspace.id),
  );
  const [open, setOpen] = useState<Open | undefined>();
  const [status, setStatus] = useState<string | undefined>();
  const admin = canAdminister(workspace.role);
  const close = (): void => setOpen(undefined);

  return (
    <div className="card">
      <h2>Members</h2>
      {state.status === 'loading' ? <Loading /> : null}
      {state.status === 'error' ? <Alert>{state.error.message}</Alert> : null}
      {state.status === 'ready' && state.data.members.length === 0 ? (
        <p className="empty">No members yet{admin ? ': add the first one below.' : '.'}</p>
      ) : null}
      {state.status === 'ready' && state.data.members.length > 0 ? (
        <MembersTable view={state.data} admin={admin} onOpen={setOpen} />
      ) : null}
      <p className="status-line" role="status">
        {status}
      </p>
      {admin && state.status === 'ready' ? (
        <AddMemberForm workspace={workspace} members={state.data} onAdded={reload} onReload={set} />
      ) : null}
      {open === undefined || state.status !== 'ready' ? null : open.kind === 'role' ? (
        <RoleDialog
          workspace={workspace}
          member={open.member}
          members={state.data}
          onCancel={close}
          onReload={(members) => {
            set(members);
            close();
          }}
          onDone={() => {
            setStatus(`Role of ${open.member.email} changed.`);
            close();
            reload();
          }}
        />
      ) : (
        <RemoveDialog
          workspace={workspace}
          member={open.member}
          members={state.data}
          onCancel={close}
          onReload={(members) => {
            set(members);
            close();
          }}
          onDone={() => {
            setStatus(undefined);
            close();
            reload();
          }}
        />
      )}
    </div>
  );
}
