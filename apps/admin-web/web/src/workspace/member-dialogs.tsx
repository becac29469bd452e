import { useId, useState } from 'react';
import { MEMBER_ROLES, type MemberRole } from '@loyalty-edge/management-contracts';
import type { MemberView, WorkspaceView } from '../api/endpoints.js';
import { Revisioned, type MembersView } from '../api/revisioned.js';
import { Alert } from '../components/alert.js';
import { ConflictNote } from '../components/conflict-note.js';
import { Dialog } from '../components/dialog.js';
import { messageOf } from '../components/format.js';
import { reloaded, useMembersChange } from './members-change.js';

const ROLE_NAMES: Readonly<Record<MemberRole, string>> = {
  admin: 'Admin (changes settings, credentials and members)',
  viewer: 'Viewer (read only)',
};

function isRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}

/** What a conflict says about the member the dialog is for. */
function MemberNow({ member, now }: { member: MemberView; now: readonly MemberView[] }) {
  const current = now.find((each) => each.id === member.id);
  return (
    <p>
      {current === undefined
        ? `${member.email} is no longer a member.`
        : `${member.email} is now ${current.role} (${current.status}).`}
    </p>
  );
}

interface MemberDialogProps {
  workspace: WorkspaceView;
  member: MemberView;
  members: MembersView;
  onDone: () => void;
  /** Closes the dialog and shows the members as someone else left them. */
  onReload: (members: MembersView) => void;
  onCancel: () => void;
}

/** Changes the role of a member, or of a pending invitation. */
export function RoleDialog({
  workspace,
  member,
  members,
  onDone,
  onReload,
  onCancel,
}: MemberDialogProps) {
  const roleId = useId();
  const [role, setRole] = useState<MemberRole>(member.role);
  const change = useMembersChange(
    members,
    (etag) => Revisioned.setMemberRole(workspace.id, member.id, role, etag),
    onDone,
  );
  return (
    <Dialog
      title={`Change the role of ${member.email}`}
      onClose={onCancel}
      actions={
        <>
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className="button button-primary"
            onClick={change.start}
            disabled={change.busy || role === member.role || change.conflict !== undefined}
          >
            {change.busy ? 'Saving…' : 'Save role'}
          </button>
        </>
      }
    >
      <div className="field">
        <label htmlFor={roleId}>Role</label>
        <select
          id={roleId}
          value={role}
          onChange={(event) => {
            if (isRole(event.target.value)) setRole(event.target.value);
          }}
        >
          {MEMBER_ROLES.map((each) => (
            <option key={each} value={each}>
              {ROLE_NAMES[each]}
            </option>
          ))}
        </select>
      </div>
      {member.status === 'invited' ? (
        <p className="field-hint">The invitation link stays the same; it grants the new role.</p>
      ) : null}
      {change.error === undefined ? null : <Alert>{messageOf(change.error)}</Alert>}
      {change.conflict === undefined ? null : (
        <ConflictNote
          what="The members were"
          busy={change.busy}
          reapplyLabel={`Make ${role} again`}
          onReload={() => {
            if (change.conflict) onReload(reloaded(change.conflict));
          }}
          onReapply={change.reapply}
        >
          <MemberNow member={member} now={change.conflict.current} />
        </ConflictNote>
      )}
    </Dialog>
  );
}

/** Removes a member, or revokes a pending invitation. */
export function RemoveDialog({
  workspace,
  member,
  members,
  onDone,
  onReload,
  onCancel,
}: MemberDialogProps) {
  const change = useMembersChange(
    members,
    (etag) => Revisioned.removeMember(workspace.id, member.id, etag),
    onDone,
  );
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
          <button
            type="button"
            className="button button-danger"
            onClick={change.start}
            disabled={change.busy || change.conflict !== undefined}
          >
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
      {change.error === undefined ? null : <Alert>{messageOf(change.error)}</Alert>}
      {change.conflict === undefined ? null : (
        <ConflictNote
          what="The members were"
          busy={change.busy}
          reapplyLabel={invited ? 'Revoke anyway' : 'Remove anyway'}
          onReload={() => {
            if (change.conflict) onReload(reloaded(change.conflict));
          }}
          onReapply={change.reapply}
        >
          <MemberNow member={member} now={change.conflict.current} />
        </ConflictNote>
      )}
    </Dialog>
  );
}
