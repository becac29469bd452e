import type { WorkspaceRole } from '@loyalty-edge/management-contracts';

/** Who is calling: an admin, through a browser session or one of their access tokens. */
export interface Principal {
  readonly adminId: string;
  readonly email: string;
  readonly operator: boolean;
  readonly via: 'session' | 'token';
  /** Set when `via` is `session`. */
  readonly sessionId?: string;
  readonly csrfToken?: string;
  /** Set when `via` is `token`. */
  readonly tokenId?: string;
}

/** An authenticated request as services see it: who, from where, under which request id. */
export interface Caller {
  readonly principal: Principal;
  readonly requestId: string;
  readonly clientIp: string;
  /** The caller's role on the route's workspace, for workspace-scoped routes. */
  readonly workspaceRole?: WorkspaceRole;
}
