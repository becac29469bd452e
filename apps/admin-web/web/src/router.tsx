import { useSyncExternalStore, type AnchorHTMLAttributes, type MouseEvent } from 'react';

// A tiny History API router: the server answers every page path with index.html.

const CHANGE = 'le:navigate';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('popstate', onChange);
  window.addEventListener(CHANGE, onChange);
  return () => {
    window.removeEventListener('popstate', onChange);
    window.removeEventListener(CHANGE, onChange);
  };
}

const currentLocation = (): string => window.location.pathname + window.location.search;

/** The current path and query, re-rendering on every navigation. */
export function useLocation(): string {
  return useSyncExternalStore(subscribe, currentLocation);
}

let leaveGuard: () => boolean = () => true;
/** Where the app is, for putting it back when leaving is refused (the Back button). */
let shown = currentLocation();

/**
 * Asked before every navigation the user makes (links, Back and Forward; not redirects):
 * false keeps the page (unsaved changes, see unsaved-changes.ts).
 */
export function setLeaveGuard(guard: () => boolean): void {
  leaveGuard = guard;
}

// runs before the location subscribers (capture, registered first): a refused Back is undone
window.addEventListener(
  'popstate',
  (event) => {
    if (leaveGuard()) {
      shown = currentLocation();
      return;
    }
    event.stopImmediatePropagation();
    window.history.pushState(null, '', shown);
  },
  { capture: true },
);

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  if (to === currentLocation()) return;
  if (options.replace !== true && !leaveGuard()) return;
  if (options.replace === true) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  shown = currentLocation();
  window.dispatchEvent(new Event(CHANGE));
}

/** A same-app link: a real <a href> (middle-click, copy link work) that navigates in place. */
export function Link({
  to,
  onClick,
  ...props
}: AnchorHTMLAttributes<HTMLAnchorElement> & { to: string }) {
  const follow = (event: MouseEvent<HTMLAnchorElement>): void => {
    onClick?.(event);
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    ) {
      return;
    }
    event.preventDefault();
    navigate(to);
  };
  return <a href={to} onClick={follow} {...props} />;
}

export const WORKSPACE_TABS = [
  'api',
  'modules',
  'ip-filter',
  'signatures',
  'auth-manager',
  'members',
  'events',
  'customers',
  'errors',
  'api-reference',
  'audit',
] as const;
export type WorkspaceTab = (typeof WORKSPACE_TABS)[number];

/** The API browser's tabs, shown as one entry of the workspace navigation. */
export const API_BROWSER_TABS: readonly WorkspaceTab[] = [
  'events',
  'customers',
  'errors',
  'api-reference',
];

/** The inner tabs of the Authentication Manager: `/workspaces/{ws}/auth-manager[/audit-logs]`. */
export type AuthManagerSection = 'clients' | 'audit-logs';

export type Route =
  | { readonly page: 'login'; readonly next: string }
  /** An invitation link: public, signed in or not. */
  | { readonly page: 'invitation'; readonly token: string }
  | { readonly page: 'workspaces' }
  /** The signed-in admin's own account: password, personal access tokens. */
  | { readonly page: 'account' }
  | {
      readonly page: 'workspace';
      readonly ws: string;
      readonly tab: WorkspaceTab;
      readonly errorId?: string;
      readonly section?: AuthManagerSection;
    }
  | { readonly page: 'not-found' };

function isTab(value: string): value is WorkspaceTab {
  return (WORKSPACE_TABS as readonly string[]).includes(value);
}

/** Only a path of this app may be a redirect target after login. */
export function safeNext(value: string | null): string {
  return value !== null && value.startsWith('/') && !value.startsWith('//') ? value : '/';
}

export function parseRoute(location: string): Route {
  const url = new URL(location, window.location.origin);
  const parts = url.pathname.split('/').filter((part) => part !== '');
  const [first, ws, tab = 'api', sub, ...rest] = parts.map((part) => {
    try {
      return decodeURIComponent(part);
    } catch {
      return part;
    }
  });
  if (first === 'login' && parts.length === 1) {
    return { page: 'login', next: safeNext(url.searchParams.get('next')) };
  }
  if (first === 'invitations' && ws !== undefined && parts.length === 2) {
    return { page: 'invitation', token: ws };
  }
  if (first === undefined || (first === 'workspaces' && ws === undefined)) {
    return { page: 'workspaces' };
  }
  if (first === 'account' && parts.length === 1) return { page: 'account' };
  if (first !== 'workspaces' || ws === undefined || !isTab(tab) || rest.length > 0) {
    return { page: 'not-found' };
  }
  if (sub === undefined) return { page: 'workspace', ws, tab };
  if (tab === 'errors') return { page: 'workspace', ws, tab, errorId: sub };
  // the first section has the tab's own path; only the others have a segment
  if (tab === 'auth-manager' && sub === 'audit-logs') {
    return { page: 'workspace', ws, tab, section: sub };
  }
  return { page: 'not-found' };
}

export function workspacePath(ws: string, tab: WorkspaceTab = 'api'): string {
  const base = `/workspaces/${encodeURIComponent(ws)}`;
  return tab === 'api' ? base : `${base}/${tab}`;
}

export function invitationPath(token: string): string {
  return `/invitations/${encodeURIComponent(token)}`;
}

export function authManagerPath(ws: string, section: AuthManagerSection = 'clients'): string {
  const base = workspacePath(ws, 'auth-manager');
  return section === 'clients' ? base : `${base}/${section}`;
}
