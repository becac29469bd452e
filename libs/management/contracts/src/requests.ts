import type { MemberRole } from './access.js';

/**
 * The bodies the management API takes, as the admin web app and automation send them. Each
 * request DTO of the API implements its interface, so validation and this contract move together.
 */

/** `POST /api/auth/login` */
export interface LoginRequest {
  readonly email: string;
  readonly password: string;
}

/** `PUT /api/me/password` */
export interface ChangePasswordRequest {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** `POST /api/workspaces` (operators) */
export interface CreateWorkspaceRequest {
  readonly id: string;
  readonly name: string;
}

/** `PUT /api/workspaces/{ws}/modules/{module}` */
export interface ModuleSwitchRequest {
  readonly enabled: boolean;
}

/** `PUT /api/workspaces/{ws}/rate-limit` (operators); null: the deployment's default. */
export interface RateLimitRequest {
  readonly requestsPerMinute: number | null;
}

/** `POST /api/workspaces/{ws}/members`; `password` only from operators, for a new account. */
export interface AddMemberRequest {
  readonly email: string;
  readonly role: MemberRole;
  readonly password?: string;
}

/** `PUT /api/workspaces/{ws}/members/{memberId}` */
export interface SetMemberRoleRequest {
  readonly role: MemberRole;
}

/** `POST /api/invitations/{token}/accept`; `password` only for an email without an account. */
export interface AcceptInvitationRequest {
  readonly password?: string;
}

/** `POST /api/workspaces/{ws}/credentials` */
export interface GenerateCredentialsRequest {
  /** How long the old key keeps working, in seconds (0 or absent: it stops at once). */
  readonly overlapSeconds?: number;
}

/** `PUT /api/workspaces/{ws}/ip-filter/{api}`: the whole new list. */
export interface IpListRequest {
  readonly entries: readonly string[];
}

/** `POST /api/workspaces/{ws}/ip-filter/{api}/preview` */
export interface IpPreviewRequest extends IpListRequest {
  /** Days of traffic to check (default 7). */
  readonly days?: number;
}

/** `PUT /api/workspaces/{ws}/signature-enforcement`: the whole new set. */
export interface EnforcementRequest {
  readonly apis: readonly string[];
}

/** `POST /api/tokens`: a personal access token. */
export interface CreateAccessTokenRequest {
  readonly name: string;
  readonly expiresAt: string;
}

/** `POST /api/workspaces/{ws}/auth-clients` */
export interface CreateAuthClientRequest {
  readonly name: string;
  readonly purpose: string;
  readonly expiresAt: string;
  readonly scopes: readonly string[];
  readonly audience: string;
}
