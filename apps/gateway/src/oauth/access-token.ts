/**
 * Reading an access token (RFC 9068 JWT, compact JWS, ES256) without trusting it: the parts
 * are taken apart and the header checked here; the signature is verified by the caller with
 * the key the header names; the claims are read only after that. Pure functions, no I/O.
 */

/** Why a token is refused before its signature is checked (failed-call reasons). */
export type ParseFailure = 'bearer_malformed' | 'alg_not_allowed' | 'bad_signature';

export interface ParsedToken {
  readonly ok: true;
  readonly kid: string;
  /** `base64url(header) "." base64url(payload)`: what the signature covers. */
  readonly signingInput: Buffer;
  /** The payload segment, still encoded. */
  readonly payload: string;
  /** The raw ECDSA signature, r || s (64 bytes for P-256). */
  readonly signature: Buffer;
}

/** The claims the gateway uses, read once the signature is good. */
export interface AccessClaims {
  readonly iss: string;
  readonly aud: readonly string[];
  readonly exp: number;
  readonly iat: number;
  readonly nbf: number | undefined;
  readonly sub: string;
  readonly jti: string;
  readonly clientId: string;
  readonly workspaceId: string;
  readonly scopes: readonly string[];
}

/** A JWT longer than this is not one of ours. */
const MAX_TOKEN_LENGTH = 8192;
const SEGMENT = /^[A-Za-z0-9_-]+$/;
const TOKEN_TYPES = new Set(['at+jwt', 'application/at+jwt']);
/** RFC 6750 §2.1: `Bearer` and a b64token. */
const BEARER = /^bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** The token of an `Authorization: Bearer` header, or undefined when it is not well formed. */
export function bearerToken(authorization: string): string | undefined {
  return BEARER.exec(authorization)?.[1];
}

function decodeJson(segment: string): Record<string, unknown> | undefined {
  if (!SEGMENT.test(segment) || segment.length % 4 === 1) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes a compact JWS apart. Only `alg: ES256` passes (never `none`, HMAC or RSA, whatever
 * the key), `typ` must say it is an access token, `kid` must name a key, and no `crit`
 * extension is understood.
 */
export function parseToken(
  token: string,
): ParsedToken | { readonly ok: false; reason: ParseFailure } {
  if (token.length > MAX_TOKEN_LENGTH) return { ok: false, reason: 'bearer_malformed' };
  const parts = token.split('.');
  if (parts.length !== 3) return { ok: false, reason: 'bearer_malformed' };
  const [head = '', payload = '', signature = ''] = parts;
  const header = decodeJson(head);
  if (header === undefined || !SEGMENT.test(payload)) {
    return { ok: false, reason: 'bearer_malformed' };
  }
  if (header.alg !== 'ES256') return { ok: false, reason: 'alg_not_allowed' };
  if (
    typeof header.typ !== 'string' ||
    !TOKEN_TYPES.has(header.typ.toLowerCase()) ||
    typeof header.kid !== 'string' ||
    header.kid === '' ||
    'crit' in header
  ) {
    return { ok: false, reason: 'bearer_malformed' };
  }
  const raw = SEGMENT.test(signature) ? Buffer.from(signature, 'base64url') : undefined;
  if (raw?.length !== 64 || raw.toString('base64url') !== signature) {
    return { ok: false, reason: 'bad_signature' };
  }
  return {
    ok: true,
    kid: header.kid,
    signingInput: Buffer.from(`${head}.${payload}`, 'latin1'),
    payload,
    signature: raw,
  };
}

const isNumber = (value: unknown): value is number =>
  typeof value === 'number' && Number.isFinite(value);
const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/** The claims of a verified payload; undefined when one the gateway needs is missing or of the wrong type. */
export function readClaims(payload: string): AccessClaims | undefined {
  const claims = decodeJson(payload);
  if (claims === undefined) return undefined;
  const { iss, aud, exp, iat, nbf, sub, jti, client_id, workspace_id, scope } = claims;
  const audiences = typeof aud === 'string' ? [aud] : aud;
  if (
    !isText(iss) ||
    !Array.isArray(audiences) ||
    !audiences.every(isText) ||
    !isNumber(exp) ||
    !isNumber(iat) ||
    (nbf !== undefined && !isNumber(nbf)) ||
    !isText(sub) ||
    !isText(jti) ||
    !isText(client_id) ||
    !isText(workspace_id) ||
    typeof scope !== 'string'
  ) {
    return undefined;
  }
  return {
    iss,
    aud: audiences,
    exp,
    iat,
    nbf,
    sub,
    jti,
    clientId: client_id,
    workspaceId: workspace_id,
    scopes: scope.split(' ').filter((s) => s !== ''),
  };
}

/** Clock difference tolerated between the token service and this gateway. */
export const LEEWAY_SECONDS = 30;

/** The time checks, run on every request (a cached token expires like any other). */
export function timeProblem(
  claims: AccessClaims,
  nowSeconds: number,
): 'token_expired' | 'token_not_yet_valid' | undefined {
  if (claims.exp <= nowSeconds - LEEWAY_SECONDS) return 'token_expired';
  if (claims.iat > nowSeconds + LEEWAY_SECONDS) return 'token_not_yet_valid';
  if (claims.nbf !== undefined && claims.nbf > nowSeconds + LEEWAY_SECONDS) {
    return 'token_not_yet_valid';
  }
  return undefined;
}
