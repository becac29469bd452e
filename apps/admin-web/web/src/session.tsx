import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import { ApiError, onSessionLost, setCsrfToken } from './api/client.js';
import { Api, type MeView } from './api/endpoints.js';

export type SessionState =
  | { readonly status: 'loading' }
  | { readonly status: 'anonymous'; readonly ended: boolean }
  | { readonly status: 'signed-in'; readonly me: MeView }
  | { readonly status: 'failed'; readonly message: string };

export interface Session {
  readonly state: SessionState;
  readonly login: (email: string, password: string) => Promise<void>;
  readonly logout: () => Promise<void>;
  /** Reloads the caller and their workspaces (after a change to either). */
  readonly refresh: () => Promise<void>;
}

const SessionContext = createContext<Session | undefined>(undefined);

/** Who is signed in, from `GET /api/me`; a 401 anywhere signs the app out. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const me = await Api.me();
      setCsrfToken(me.csrfToken);
      setState({ status: 'signed-in', me });
    } catch (error) {
      setCsrfToken(null);
      if (error instanceof ApiError && error.status === 401) {
        setState({ status: 'anonymous', ended: false });
      } else {
        const message = error instanceof Error ? error.message : 'The session cannot be loaded';
        setState({ status: 'failed', message });
      }
    }
  }, []);

  useEffect(() => {
    onSessionLost(() => {
      setCsrfToken(null);
      setState((current) =>
        current.status === 'signed-in' ? { status: 'anonymous', ended: true } : current,
      );
    });
    void refresh();
  }, [refresh]);

  const login = useCallback(
    async (email: string, password: string): Promise<void> => {
      const result = await Api.login(email, password);
      setCsrfToken(result.csrfToken);
      await refresh();
    },
    [refresh],
  );

  const logout = useCallback(async (): Promise<void> => {
    try {
      await Api.logout();
    } catch (error) {
      // 401: the session had already ended, which is what was asked for
      if (!(error instanceof ApiError && error.status === 401)) throw error;
    }
    setCsrfToken(null);
    setState({ status: 'anonymous', ended: false });
  }, []);

  const session = useMemo(
    () => ({ state, login, logout, refresh }),
    [state, login, logout, refresh],
  );
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession needs a SessionProvider');
  return session;
}

/** The signed-in caller; only for pages rendered behind the sign-in check. */
export function useMe(): MeView {
  const { state } = useSession();
  if (state.status !== 'signed-in') throw new Error('useMe needs a signed-in session');
  return state.me;
}
