import type { WorkspaceModules, WorkspaceRateLimit } from './workspaces.js';
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
  /**
   * The revision of `modules` (the workspace's `ETag`): a switch names it in `If-Match`. Every
   * switch raises it.
   */
  readonly modulesRevision: number;
  /** Set by an operator; absent: the gateways' default. */
  readonly rateLimit?: WorkspaceRateLimit;
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

/** The members of a workspace and their revision (`GET …/members` answers it as `ETag`). */
export interface MembersRevision {
  readonly members: readonly MemberView[];
  readonly revision: number;
}

/** `active`: a member; `invited`: an invitation not accepted yet (it may have expired). */
export type MemberStatus = 'active' | 'invited';

export interface MemberView {
  /**
   * What `/members/{id}` takes: the admin id of an active member, the invitation id of an
   * invited one.
   */
  readonly id: string;
  /**
   * The account of an active member; null while invited, so the list never tells whether an
   * invited email has an account.
   */
  readonly adminId: string | null;
  readonly email: string;
  readonly role: MemberRole;
  readonly status: MemberStatus;
  /** When the member was added, or invited. */
  readonly addedAt: string;
  /** When the invitation stops working; null for an active member. */
  readonly expiresAt: string | null;
}

/** The one-time link of a new invitation; shown once, stored only as a hash. */
export interface InvitationLink {
  readonly url: string;
  readonly expiresAt: string;
}

/**
 * The answer to adding a member: the same shape whether the email has an account or not. An
 * operator who creates the account with an initial password gets an active member and no link.
 */
export interface AddedMember {
  readonly member: MemberView;
  readonly invitation: InvitationLink | null;
}

/** What an invitation link is for (`GET /api/invitations/{token}`, public). */
export interface InvitationView {
  readonly workspace: { readonly id: string; readonly name: string };
  readonly email: string;
  readonly role: MemberRole;
  readonly expiresAt: string;
  /**
   * true: no account has this email, and accepting sets its password; false: log in as that
   * account to accept.
   */
  readonly needsPassword: boolean;
}

/** The answer to accepting an invitation. */
export interface AcceptedInvitation {
  readonly workspace: { readonly id: string; readonly name: string };
  readonly email: string;
  readonly role: MemberRole;
  readonly accountCreated: boolean;
}

/** The answer to a password change: every other way into the account has ended. */
export interface PasswordChanged {
  readonly otherSessionsEnded: number;
  readonly accessTokensRevoked: number;
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
