import { useState, type SubmitEvent } from 'react';
import { AccountApi, type PasswordChanged } from '../api/account.js';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { formProblems } from '../components/field-message-rules.js';
import { plural } from '../components/format.js';
import { NewPasswordFields, repeatMismatch } from '../components/new-password-fields.js';

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
    const mismatch = repeatMismatch(next, repeat);
    if (mismatch !== undefined) {
      setError(mismatch);
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
      <NewPasswordFields
        labels={{ password: FIELDS.newPassword, repeat: FIELDS.repeat }}
        password={next}
        repeat={repeat}
        errors={{ password: problems.field('newPassword'), repeat: problems.field('repeat') }}
        onPassword={setNext}
        onRepeat={setRepeat}
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
