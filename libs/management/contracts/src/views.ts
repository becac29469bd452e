import type { WorkspaceModules } from './workspaces.js';
import type { MemberRole, WorkspaceRole } from './access.js';

/** What the management API returns; the admin web app reads these shapes. */
export interface AdminView {
  readonly id: string;
  readonly email: string;
  readonly operator: boolean;
}

export interface WorkspaceView {
  readonly id: string;
  readonly name: string;
  readonly modules: WorkspaceModules;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The caller's role on this workspace. */
  readonly role: WorkspaceRole;
}

export interface MeView {
  readonly user: AdminView;
  readonly workspaces: readonly WorkspaceView[];
  /** The session's CSRF token; null when authenticated by a personal access token. */
  readonly csrfToken: string | null;
}

export interface LoginResult {
  readonly user: AdminView;
  readonly csrfToken: string;
}

export interface MemberView {
  readonly adminId: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly addedAt: string;
}

export interface AccessTokenView {
  readonly id: string;
  readonly name: string;
  /** The first characters of the token, to recognise it (never enough to use it). */
  readonly hint: string;
  readonly createdAt: string;
  readonly expiresAt: string;
  readonly lastUsedAt: string | null;
  readonly revokedAt: string | null;
}

/** Returned once, at creation. */
export interface CreatedAccessToken extends AccessTokenView {
  readonly token: string;
}
