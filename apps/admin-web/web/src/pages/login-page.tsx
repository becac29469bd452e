import { useState, type SubmitEvent } from 'react';
import { Alert } from '../components/alert.js';
import { Field } from '../components/field.js';
import { formProblems } from '../components/field-message-rules.js';
import { useSession } from '../session.js';

export function LoginPage({ ended }: { ended: boolean }) {
  const { login } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const submit = (event: SubmitEvent<HTMLFormElement>): void => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    // on success the session changes and the app leaves this page
    login(email.trim(), password).catch((caught: unknown) => {
      setError(caught);
      setPassword('');
      setBusy(false);
    });
  };

  const problems = formProblems(error, { email: 'Email', password: 'Password' });

  return (
    <main className="login">
      <form className="card login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
        <p className="login-brand">Loyalty Edge</p>
        <h1 id="login-title">Log in to the admin</h1>
        {ended && error === undefined ? (
          <Alert kind="info">Your session has ended. Please log in again.</Alert>
        ) : null}
        {problems.banner === null ? null : <Alert>{problems.banner}</Alert>}
        <Field
          label="Email"
          type="email"
          name="email"
          autoComplete="username"
          required
          autoFocus
          value={email}
          onChange={(event) => setEmail(event.target.value)}
          error={problems.field('email')}
        />
        <Field
          label="Password"
          type="password"
          name="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={problems.field('password')}
        />
        <button type="submit" className="button button-primary button-block" disabled={busy}>
          {busy ? 'Logging in…' : 'Log in'}
        </button>
      </form>
    </main>
  );
}
