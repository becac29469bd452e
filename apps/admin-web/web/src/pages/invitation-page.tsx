import { useState, type ReactNode, type SubmitEvent } from 'react';
import { ApiError } from '../api/client.js';
import { Api, type InvitationView } from '../api/endpoints.js';
import { Alert, Loading } from '../components/alert.js';
import { formProblems } from '../components/field-message-rules.js';
import { formatDateTime, messageOf } from '../components/format.js';
import { NewPasswordFields, repeatMismatch } from '../components/new-password-fields.js';
import { useLoad } from '../hooks.js';
import { invitationPath, Link, navigate, workspacePath } from '../router.js';
import { useSession } from '../session.js';

function Card({ children }: { children: ReactNode }) {
  return (
    <main className="login">
      <section className="card login-card" aria-labelledby="invitation-title">
        <p className="login-brand">Loyalty Edge</p>
        {children}
      </section>
    </main>
  );
}

const FIELDS = { password: 'New password', repeat: 'Repeat the password' };

/** A new account: the invitee chooses its password, then is signed in. */
function NewAccountForm({ token, invitation }: { token: string; invitation: InvitationView }) {
  const { login } = useSession();
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState(false);

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    const mismatch = repeatMismatch(password, repeat);
    if (mismatch !== undefined) {
      setError(mismatch);
      return;
    }
    setBusy(true);
    setError(undefined);
    Api.acceptInvitation(token, password)
      .then(async (accepted) => {
        setCreated(true);
        await login(accepted.email, password);
        navigate(workspacePath(accepted.workspace.id), { replace: true });
      })
      .catch((caught: unknown) => {
        setError(caught);
        setBusy(false);
      });
  };
  const problems = formProblems(error, FIELDS);

  if (created && error !== undefined) {
    return (
      <Alert kind="info">
        Your account is ready, but you could not be logged in: {messageOf(error)}{' '}
        <Link to="/login">Log in</Link>.
      </Alert>
    );
  }
  return (
    <form onSubmit={submit} noValidate aria-label="Create your account">
      <p>
        Choose the password of your new account <strong>{invitation.email}</strong>.
      </p>
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
      <NewPasswordFields
        labels={FIELDS}
        password={password}
        repeat={repeat}
        errors={{ password: problems.field('password'), repeat: problems.field('repeat') }}
        autoFocus
        onPassword={setPassword}
        onRepeat={setRepeat}
      />
      <button type="submit" className="button button-primary button-block" disabled={busy}>
        {busy ? 'Creating your account…' : 'Create account and join'}
      </button>
    </form>
  );
}

/** An existing account: accepted only signed in as that account, never by setting a password. */
function ExistingAccount({ token, invitation }: { token: string; invitation: InvitationView }) {
  const { state, logout, refresh } = useSession();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const notYours = (
    <p className="warning" role="note">
      Never created an account for this email? Do not log in or accept: someone else may have
      created it. Tell the admin who invited you.
    </p>
  );

  if (state.status !== 'signed-in') {
    return (
      <>
        <p>
          An account with this email exists. Log in as <strong>{invitation.email}</strong> to
          accept.
        </p>
        <Link
          className="button button-primary button-block"
          to={`/login?next=${encodeURIComponent(invitationPath(token))}`}
        >
          Log in to accept
        </Link>
        {notYours}
      </>
    );
  }
  if (state.me.user.email !== invitation.email) {
    return (
      <>
        <Alert kind="info">
          You are logged in as <strong>{state.me.user.email}</strong>, but this invitation is for{' '}
          <strong>{invitation.email}</strong>. Log out, then log in as {invitation.email}.
        </Alert>
        <button
          type="button"
          className="button button-block"
          onClick={() => {
            logout().catch((caught: unknown) => setError(caught));
          }}
        >
          Log out
        </button>
        {error === undefined ? null : <Alert>{messageOf(error)}</Alert>}
      </>
    );
  }
  const acceptInvitation = (): void => {
    setBusy(true);
    setError(undefined);
    Api.acceptInvitation(token)
      .then(async (accepted) => {
        await refresh();
        navigate(workspacePath(accepted.workspace.id), { replace: true });
      })
      .catch((caught: unknown) => {
        setError(caught);
        setBusy(false);
      });
  };
  return (
    <>
      <p>
        You are logged in as <strong>{invitation.email}</strong>.
      </p>
      {error === undefined ? null : <Alert>{messageOf(error)}</Alert>}
      <button
        type="button"
        className="button button-primary button-block"
        onClick={acceptInvitation}
        disabled={busy}
      >
        {busy ? 'Accepting…' : 'Accept the invitation'}
      </button>
    </>
  );
}

/** `/invitations/<token>`: what the link is for, then the way to accept it. */
export function InvitationPage({ token }: { token: string }) {
  const { state } = useLoad(`invitation:${token}`, () => Api.invitation(token));

  if (state.status === 'loading') {
    return (
      <Card>
        <h1 id="invitation-title">Invitation</h1>
        <Loading />
      </Card>
    );
  }
  if (state.status === 'error') {
    const invalid = state.error instanceof ApiError && state.error.status === 404;
    return (
      <Card>
        <h1 id="invitation-title">Invitation</h1>
        <Alert>
          {invalid
            ? 'This invitation link is not valid: it was used, revoked or has expired. Ask the admin who invited you for a new one.'
            : state.error.message}
        </Alert>
      </Card>
    );
  }
  const invitation = state.data;
  return (
    <Card>
      <h1 id="invitation-title">Join {invitation.workspace.name}</h1>
      <p>
        You are invited to the workspace <strong>{invitation.workspace.name}</strong> as{' '}
        <span className={`badge badge-${invitation.role}`}>{invitation.role}</span>, with the email{' '}
        <strong>{invitation.email}</strong>.
      </p>
      <p className="field-hint">
        The link works once, until {formatDateTime(invitation.expiresAt)}.
      </p>
      {invitation.needsPassword ? (
        <NewAccountForm token={token} invitation={invitation} />
      ) : (
        <ExistingAccount token={token} invitation={invitation} />
      )}
    </Card>
  );
}
