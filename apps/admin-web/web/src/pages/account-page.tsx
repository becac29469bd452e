import { AccessTokens } from '../account/access-tokens.js';
import { PasswordForm } from '../account/password-form.js';
import { AccountApi } from '../api/account.js';
import { useLoad } from '../hooks.js';
import { Link } from '../router.js';
import { useMe } from '../session.js';

/** The signed-in admin's own account: the password and personal access tokens. */
export function AccountPage() {
  const me = useMe();
  const tokens = useLoad('access-tokens', () => AccountApi.accessTokens());
  return (
    <>
      <p className="breadcrumb">
        <Link to="/">← All workspaces</Link>
      </p>
      <div className="page-title">
        <h1>Your account</h1>
        <span className="user-id">{me.user.email}</span>
      </div>
      <div className="card">
        <PasswordForm onChanged={tokens.reload} />
      </div>
      <div className="card">
        <AccessTokens state={tokens.state} reload={tokens.reload} />
      </div>
    </>
  );
}
