import { useState, type SubmitEvent } from 'react';
import { ApiError } from '../api/client.js';
import { AccountApi, type PasswordChanged } from '../api/account.js';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { formProblems, PASSWORD_RULE } from '../components/field-message-rules.js';
import { plural } from '../components/format.js';

const FIELDS = {
  currentPassword: 'Current password',
  newPassword: 'New password',
  repeat: 'Repeat the new password',
};

/** What a change ended besides this session, in a sentence. */
export function changedMessage(result: PasswordChanged): string {
  const sessions = plural(result.otherSessionsEnded, 'other session', 'other sessions');
  const tokens = plural(result.accessTokensRevoked, 'access token', 'access tokens');
  return `Password changed. ${sessions} ended and ${tokens} revoked; this session stays signed in.`;
}

/** Changes the signed-in admin's password; every other way into the account ends with it. */
export function PasswordForm({ onChanged }: { onChanged: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<string | undefined>();
  const problems = formProblems(error, FIELDS);

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setDone(undefined);
    if (next !== repeat) {
      setError(
        new ApiError(400, 'The two new passwords differ', undefined, [
          { field: 'repeat', message: 'is not the same as the new password' },
        ]),
      );
      return;
    }
    setBusy(true);
    setError(undefined);
    AccountApi.changePassword(current, next).then(
      (result) => {
        setCurrent('');
        setNext('');
        setRepeat('');
        setDone(changedMessage(result));
        setBusy(false);
        onChanged();
      },
      (caught: unknown) => {
        setError(caught);
        setBusy(false);
      },
    );
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby="password-title" className="account-form">
      <h2 id="password-title">Change your password</h2>
      <p className="field-hint">
        Every other session of your account ends, and your personal access tokens are revoked.
      </p>
      <Field
        label={FIELDS.currentPassword}
        type="password"
        autoComplete="current-password"
        required
        value={current}
        onChange={(event) => setCurrent(event.target.value)}
        error={problems.field('currentPassword')}
      />
      <Field
        label={FIELDS.newPassword}
        type="password"
        autoComplete="new-password"
        required
        value={next}
        onChange={(event) => setNext(event.target.value)}
        // the rule once: the hint, or what the API said is wrong with this password
        hint={problems.field('newPassword') === undefined ? PASSWORD_RULE : undefined}
        error={problems.field('newPassword')}
      />
      <Field
        label={FIELDS.repeat}
        type="password"
        autoComplete="new-password"
        required
        value={repeat}
        onChange={(event) => setRepeat(event.target.value)}
        error={problems.field('repeat')}
      />
      {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={busy}>
          {busy ? 'Changing…' : 'Change password'}
        </button>
      </div>
      {done === undefined ? null : <Alert kind="success">{done}</Alert>}
    </form>
  );
}
