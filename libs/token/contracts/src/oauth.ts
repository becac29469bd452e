import type { ApiId } from '@loyalty-edge/contracts';

/**
 * The token endpoint's errors (RFC 6749 §5.2) with their status and numeric code, answered as
 * `{"status":"error","error":<name>,"details":{"type","code","message"}}`. A 401 also carries
 * `WWW-Authenticate: Basic realm="OAuth2 Token Endpoint"`.
 */
export const OAUTH_ERRORS = {
  invalid_client: { status: 401, code: 220010, type: 'UnauthorizedException' },
  invalid_request: { status: 400, code: 220011, type: 'BadRequestException' },
  invalid_grant: { status: 400, code: 220012, type: 'BadRequestException' },
  unauthorized_client: { status: 400, code: 220013, type: 'BadRequestException' },
  unsupported_grant_type: { status: 400, code: 220014, type: 'BadRequestException' },
  invalid_scope: { status: 400, code: 220015, type: 'BadRequestException' },
} as const;

export type OAuthErrorName = keyof typeof OAUTH_ERRORS;

export const TOKEN_ENDPOINT_REALM = 'OAuth2 Token Endpoint';

/** The OAuth2 error name of a numeric code, for errors that crossed NATS as AppErrors. */
export function oauthErrorOf(code: number): OAuthErrorName | undefined {
  for (const [name, entry] of Object.entries(OAUTH_ERRORS)) {
    if (entry.code === code) return name as OAuthErrorName;
  }
  return undefined;
}

/** Error codes of the token service and of the gateway's Bearer check (docs/errors.md). */
export const TokenErrorCodes = {
  invalidClient: OAUTH_ERRORS.invalid_client.code,
  invalidRequest: OAUTH_ERRORS.invalid_request.code,
  unauthorizedClient: OAUTH_ERRORS.unauthorized_client.code,
  unsupportedGrantType: OAUTH_ERRORS.unsupported_grant_type.code,
  invalidScope: OAUTH_ERRORS.invalid_scope.code,
  /** No Bearer token on an API that needs one. */
  bearerMissing: 220051,
  /** The Bearer token is malformed, forged, expired, or not for this gateway. */
  bearerInvalid: 220052,
  /** The token lacks the scope the API needs (403). */
  insufficientScope: 220053,
  /** The workspace's Async Events module is off (403). */
  moduleDisabled: 220054,
  /** An auth client that does not exist in the workspace (management). */
  clientNotFound: 150404,
  /** The workspace already has the most active clients allowed (management). */
  tooManyClients: 150409,
} as const;

/** The scope a Bearer token needs on each API that takes Bearer tokens. */
export const BEARER_SCOPES: Partial<Readonly<Record<ApiId, string>>> = {
  'async-events': 'loyalty.async_events',
};

/** The token endpoint's success answer (RFC 6749 §5.1). */
export interface TokenResponse {
  readonly access_token: string;
  readonly token_type: 'Bearer';
  readonly expires_in: number;
  readonly scope: string;
}

/** The claims of an access token (RFC 9068 shape; header `typ: at+jwt`, `alg: ES256`, `kid`). */
export interface AccessTokenClaims {
  readonly iss: string;
  readonly sub: string;
  readonly aud: string;
  readonly client_id: string;
  readonly scope: string;
  readonly workspace_id: string;
  readonly jti: string;
  readonly iat: number;
  readonly nbf: number;
  readonly exp: number;
}

/** The gateway's request to issue a token: the client as it authenticated, and the scope asked. */
export interface IssueRequest {
  readonly clientId: string;
  readonly clientSecret: string;
  /** The `scope` parameter as sent (space-separated), or absent for all of the client's scopes. */
  readonly scope?: string;
  readonly requestId?: string;
}

export interface IssuedToken {
  readonly accessToken: string;
  readonly expiresIn: number;
  /** Granted scopes, space-separated. */
  readonly scope: string;
  readonly jti: string;
  readonly audience: string;
  readonly workspaceId: string;
  readonly clientId: string;
}
