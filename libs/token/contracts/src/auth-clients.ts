import type { Actor } from '@loyalty-edge/contracts';

/** Client ids are `lec_` + 144 random bits; secrets `lecs_` + 256 random bits (base64url). */
export const AUTH_CLIENT_ID_PREFIX = 'lec_';
export const AUTH_CLIENT_SECRET_PREFIX = 'lecs_';

/** `lec_` and 24 base64url characters. */
export const AUTH_CLIENT_ID = /^lec_[A-Za-z0-9_-]{24}$/;

/** Derived when read: revoked wins over expired. */
export type AuthClientStatus = 'active' | 'revoked' | 'expired';

/** Where a change came from: the admin web app (a session) or automation (an access token). */
export type ChangeSource = 'ui' | 'api';

/** An OAuth2 client-credentials client of a workspace, as admins see it (never the secret). */
export interface AuthClientView {
  readonly clientId: string;
  readonly workspaceId: string;
  readonly name: string;
  readonly purpose: string;
  readonly scopes: readonly string[];
  /** The `aud` of every token the client gets. */
  readonly audience: string;
  /** From the environment, read-only: the `iss` of its tokens and their validity. */
  readonly issuer: string;
  readonly tokenValiditySeconds: number;
  readonly status: AuthClientStatus;
  readonly expiresAt: string;
  readonly createdAt: string;
  /** E-mail (or id) of the admin who created it. */
  readonly createdBy: string;
  readonly createdVia: ChangeSource;
  readonly revokedAt: string | null;
  readonly revokedBy: string | null;
}

/** Returned once, at creation. */
export interface CreatedAuthClient extends AuthClientView {
  readonly clientSecret: string;
}

/** What a new client may be given in this environment (`GET /api/auth-client-options`). */
export interface AuthClientOptions {
  readonly issuer: string;
  readonly tokenValiditySeconds: number;
  readonly scopes: readonly string[];
  readonly audiences: readonly string[];
  /** The latest expiry a new client may have, in days from now. */
  readonly maxExpiryDays: number;
}

export interface CreateAuthClientRequest {
  readonly workspaceId: string;
  readonly name: string;
  readonly purpose: string;
  /** ISO 8601, in the future, at most `maxExpiryDays` away. */
  readonly expiresAt: string;
  /** One or more of the environment's scopes. */
  readonly scopes: readonly string[];
  /** One of the environment's audiences. */
  readonly audience: string;
  readonly actor: Actor;
  readonly source: ChangeSource;
  readonly requestId?: string;
}

export interface RevokeAuthClientRequest {
  readonly workspaceId: string;
  readonly clientId: string;
  readonly actor: Actor;
  readonly source: ChangeSource;
  readonly requestId?: string;
}

/**
 * The KV record (`auth_clients` bucket, key = client id) every gateway holds in memory: the
 * token endpoint finds a client's workspace in it, and a Bearer token whose client is revoked,
 * expired or absent is refused. Deleted once no token of the client can still be valid.
 */
export interface AuthClientRecord {
  readonly workspaceId: string;
  readonly status: 'active' | 'revoked';
  readonly expiresAt: string;
  readonly revokedAt: string | null;
}
