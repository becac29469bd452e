/** A member's role on one workspace. */
export const MEMBER_ROLES = ['admin', 'viewer'] as const;
export type MemberRole = (typeof MEMBER_ROLES)[number];

/** What a caller may do on a workspace: operators see and change every workspace. */
export type WorkspaceRole = 'operator' | MemberRole;

/** The browser session cookie (HttpOnly, SameSite=Strict; only its SHA-256 is stored). */
export const SESSION_COOKIE = 'le_session';

/** Every state-changing request made with the session cookie carries the session's CSRF token. */
export const CSRF_HEADER = 'x-csrf-token';

/** Personal access tokens (automation, `Authorization: Bearer lep_...`). */
export const ACCESS_TOKEN_PREFIX = 'lep_';

/** The request id header: taken from the request when well-formed, else generated; echoed. */
export const REQUEST_ID_HEADER = 'x-request-id';
