/** A public key of the token signer, as published in the JWKS. */
export interface PublicJwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly kid: string;
  readonly alg: 'ES256';
  readonly use: 'sig';
}

export interface Jwks {
  readonly keys: readonly PublicJwk[];
}

/**
 * What the token service tells every gateway about the tokens it issues (KV `jwks`, key
 * `issuer`): the gateway checks Bearer tokens against it and serves the discovery document.
 */
export interface IssuerRecord {
  /** The `iss` of every token; the gateway's public URL (RFC 8414 issuer identifier). */
  readonly issuer: string;
  /** Audiences a client may be given; a token's `aud` must be one of them. */
  readonly audiences: readonly string[];
  /** Scopes a client may be given. */
  readonly scopes: readonly string[];
  /** `exp - iat` of every token, 300 to 3600. */
  readonly tokenValiditySeconds: number;
}

/** KV `jwks` bucket, key `current`: what the gateway serves at /.well-known/jwks.json. */
export const JWKS_KEY = 'current';

/** KV `jwks` bucket, key `issuer`: the IssuerRecord. */
export const ISSUER_KEY = 'issuer';
