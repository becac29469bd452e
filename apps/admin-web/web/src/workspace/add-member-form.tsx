import { useId, useState, type SubmitEvent } from 'react';
import { MEMBER_ROLES, type MemberRole } from '@loyalty-edge/management-contracts';
import type { AddedMember, WorkspaceView } from '../api/endpoints.js';
import { Revisioned, type MembersView } from '../api/revisioned.js';
import { Alert } from '../components/alert.js';
import { ConflictNote } from '../components/conflict-note.js';
import { CopyButton } from '../components/copy-button.js';
import { Dialog } from '../components/dialog.js';
import { Field } from '../components/field.js';
import { formProblems } from '../components/field-message-rules.js';
import { formatDateTime } from '../components/format.js';
import { reloaded, useMembersChange } from './members-change.js';

function isRole(value: string): value is MemberRole {
  return (MEMBER_ROLES as readonly string[]).includes(value);
}

/** The invitation link, once: only its hash is stored, nobody can show it again. */
function InvitationLinkDialog({
  added,
  workspace,
  onClose,
}: {
  added: AddedMember & { invitation: NonNullable<AddedMember['invitation']> };
  workspace: WorkspaceView;
  onClose: () => void;
}) {
  const { member, invitation } = added;
  return (
    <Dialog
      title="Invitation link"
      onClose={onClose}
      actions={
        <button type="button" className="button button-primary" onClick={onClose}>
          I have sent the link
        </button>
      }
    >
      <p>
        <strong>{member.email}</strong> is invited to {workspace.name} as{' '}
        <span className={`badge badge-${member.role}`}>{member.role}</span>. Send them this link
        yourself: no e-mail is sent.
      </p>
      <p className="warning" role="note">
        Copy the link now. <strong>You will not see it again.</strong> It works once, until{' '}
        <strong data-testid="invitation-expiry">{formatDateTime(invitation.expiresAt)}</strong>. If
        it is lost, add the member again for a new link (the old one stops working).
      </p>
      <code className="secret-value invitation-link" data-testid="invitation-link">
        {invitation.url}
      </code>
      <CopyButton value={invitation.url} label="Copy the invitation link" />
    </Dialog>
  );
}

/**
 * Invites someone by email. Nobody sets another person's password: the invitee opens the link
 * to choose theirs (a new account) or to accept after logging in (an existing account).
 */
export function AddMemberForm({
  workspace,
  members,
  onAdded,
  onReload,
}: {
  workspace: WorkspaceView;
  /** The list on screen: the invitation is made from its revision. */
  members: MembersView;
  onAdded: () => void;
  onReload: (members: MembersView) => void;
}) {
  const roleId = useId();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<MemberRole>('viewer');
  const [added, setAdded] = useState<AddedMember | undefined>();
  const change = useMembersChange(
    members,
    (etag) => Revisioned.addMember(workspace.id, { email: email.trim(), role }, etag),
    (answer) => {
      setAdded(answer);
      setEmail('');
      onAdded();
    },
  );
  const problems = formProblems(change.error, { email: 'Email', role: 'Role' });

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setAdded(undefined);
    change.start();
  };
  const invitation = added?.invitation;

  return (
    <form className="subform" onSubmit={submit} aria-labelledby={`${roleId}-title`}>
      <h3 id={`${roleId}-title`}>Add a member</h3>
      <p className="field-hint">
        They get a one-time invitation link, shown to you once, to set their own password or, with
        an account already, to accept after logging in.
      </p>
      <div className="form-row">
        <Field
          label="Email"
          type="email"
          required
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problems.field('email')}
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
        <button type="submit" className="button button-primary" disabled={change.busy}>
          {change.busy ? 'Inviting…' : 'Invite member'}
        </button>
      </div>
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
      {change.conflict === undefined ? null : (
        <ConflictNote
          what="The members were"
          busy={change.busy}
          reapplyLabel="Invite again"
          onReload={() => {
            if (change.conflict) onReload(reloaded(change.conflict));
          }}
          onReapply={change.reapply}
        >
          <p>
            They are now:{' '}
            {change.conflict.current
              .map((member) => `${member.email} (${member.role})`)
              .join(', ') || 'nobody'}
            .
          </p>
        </ConflictNote>
      )}
      {added === undefined ? null : (
        <Alert kind="success">
          {added.member.email} {added.member.status === 'invited' ? 'invited' : 'added'} as{' '}
          {added.member.role}.
        </Alert>
      )}
      {added === undefined || invitation === undefined || invitation === null ? null : (
        <InvitationLinkDialog
          added={{ ...added, invitation }}
          workspace={workspace}
          onClose={() => setAdded({ ...added, invitation: null })}
        />
      )}
    </form>
  );
}
