import { useState } from 'react';
import { Link } from '../router.js';
import { useMe, useSession } from '../session.js';
import { messageOf } from './format.js';

export function AppHeader() {
  const me = useMe();
  const { logout } = useSession();
  const [error, setError] = useState<string | undefined>();

  const logOut = (): void => {
    setError(undefined);
    logout().catch((caught: unknown) => setError(messageOf(caught)));
  };

  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Link to="/" className="brand">
        Loyalty Edge <span className="brand-sub">admin</span>
      </Link>
      <div className="app-header-user">
        <Link to="/account" className="user-email" title="Your account: password, access tokens">
          {me.user.email}
        </Link>
        {me.user.operator ? <span className="badge badge-operator">operator</span> : null}
        <button type="button" className="button button-ghost" onClick={logOut}>
          Log out
        </button>
        {error === undefined ? null : (
          <span className="header-error" role="alert">
            Logout failed: {error}
          </span>
        )}
      </div>
    </header>
  );
}
