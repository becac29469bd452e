import { useEffect } from 'react';
import { Alert, Loading } from './components/alert.js';
import { AppHeader } from './components/app-header.js';
import { AccountPage } from './pages/account-page.js';
import { InvitationPage } from './pages/invitation-page.js';
import { LoginPage } from './pages/login-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { WorkspacePage } from './pages/workspace-page.js';
import { WorkspacesPage } from './pages/workspaces-page.js';
import { navigate, parseRoute, useLocation, type Route } from './router.js';
import { useSession } from './session.js';

function Page({ route }: { route: Exclude<Route, { page: 'login' | 'invitation' }> }) {
  switch (route.page) {
    case 'workspaces':
      return <WorkspacesPage />;
    case 'account':
      return <AccountPage />;
    case 'workspace':
      return (
        <WorkspacePage
          ws={route.ws}
          tab={route.tab}
          errorId={route.errorId}
          section={route.section}
        />
      );
    case 'not-found':
      return <NotFoundPage />;
  }
}

/**
 * Signed out → /login?next=<where you were>; signed in on /login → where you were going. An
 * invitation link opens for anyone, signed in or not.
 */
export function App() {
  const location = useLocation();
  const route = parseRoute(location);
  const { state } = useSession();

  const redirect =
    state.status === 'anonymous' && route.page !== 'login' && route.page !== 'invitation'
      ? `/login?next=${encodeURIComponent(location)}`
      : state.status === 'signed-in' && route.page === 'login'
        ? route.next
        : undefined;
  useEffect(() => {
    if (redirect !== undefined) navigate(redirect, { replace: true });
  }, [redirect]);

  const title =
    route.page === 'login'
      ? 'Log in · Loyalty Edge admin'
      : route.page === 'invitation'
        ? 'Invitation · Loyalty Edge admin'
        : route.page === 'workspace'
          ? `${route.ws} · Loyalty Edge admin`
          : route.page === 'account'
            ? 'Your account · Loyalty Edge admin'
            : 'Loyalty Edge admin';
  useEffect(() => {
    document.title = title;
  }, [title]);

  if (state.status === 'loading' || redirect !== undefined) {
    return <Loading />;
  }
  if (state.status === 'failed') {
    return (
      <main className="page page-narrow">
        <Alert>{state.message}</Alert>
      </main>
    );
  }
  if (route.page === 'login') {
    return <LoginPage ended={state.status === 'anonymous' && state.ended} />;
  }
  if (route.page === 'invitation') {
    return <InvitationPage token={route.token} />;
  }
  return (
    <>
      <AppHeader />
      <main id="main" className="page" tabIndex={-1}>
        <Page route={route} />
      </main>
    </>
  );
}
