import { defineRpc } from '@loyalty-edge/contracts';

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

/** KV `jwks` bucket, key `current`: what the gateway serves at /.well-known/jwks.json. */
export const JWKS_KEY = 'current';

export const TokenRpc = {
  jwks: defineRpc<Record<string, never>, Jwks>('token.jwks.get'),
} as const;
