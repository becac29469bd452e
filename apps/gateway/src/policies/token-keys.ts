import { createPublicKey, type KeyObject } from 'node:crypto';
import type { LoggerService } from '@nestjs/common';
import {
  ISSUER_KEY,
  JWKS_KEY,
  type IssuerRecord,
  type Jwks,
  type PublicJwk,
} from '@loyalty-edge/token-contracts';
import { publicDocument, type PublicDocument } from '../proxy/public-document.js';

/** The issuer's discovery document (RFC 8414) as the gateway serves it. */
export function discoveryDocument(record: IssuerRecord): Record<string, unknown> {
  const base = record.issuer.replace(/\/+$/, '');
  return {
    issuer: record.issuer,
    token_endpoint: `${base}/v1/auth/token`,
    jwks_uri: `${base}/.well-known/jwks.json`,
    grant_types_supported: ['client_credentials'],
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
    scopes_supported: record.scopes,
    response_types_supported: [],
  };
}

/**
 * What the token service publishes in the `jwks` bucket, compiled once per change: the public
 * keys as node:crypto KeyObjects by `kid` (only P-256 ES256 signing keys), the JWKS and the
 * discovery document ready to serve, and the issuer record Bearer tokens are checked against.
 */
export class TokenKeys {
  private keys: ReadonlyMap<string, KeyObject> = new Map();
  /** `x.y` of each kid: a kid whose key material changes counts as removed. */
  private points: ReadonlyMap<string, string> = new Map();
  private readonly removedListeners: ((kids: readonly string[]) => void)[] = [];
  jwks: PublicDocument | undefined;
  issuer: IssuerRecord | undefined;
  discovery: PublicDocument | undefined;

  constructor(private readonly logger: LoggerService) {}

  key(kid: string): KeyObject | undefined {
    return this.keys.get(kid);
  }

  get size(): number {
    return this.keys.size;
  }

  /** Called with the kids that left the key set (their cached verifications must go). */
  onKeysRemoved(listener: (kids: readonly string[]) => void): void {
    this.removedListeners.push(listener);
  }

  /** Applies a change of the `jwks` bucket (value undefined: the key was deleted). */
  apply(key: string, value: unknown): void {
    if (key === JWKS_KEY) this.applyJwks(value as Jwks | undefined);
    else if (key === ISSUER_KEY) this.applyIssuer(value as IssuerRecord | undefined);
  }

  /** Compiles a pushed (or fetched) JWKS; keys that are not P-256 ES256 signing keys are left out. */
  applyJwks(jwks: Jwks | undefined): void {
    const keys = new Map<string, KeyObject>();
    const points = new Map<string, string>();
    const published: PublicJwk[] = [];
    const candidates: readonly unknown[] = Array.isArray(jwks?.keys) ? jwks.keys : [];
    for (const candidate of candidates) {
      const jwk = asPublicJwk(candidate);
      const compiled = jwk && compileKey(jwk);
      if (jwk === undefined || compiled === undefined) {
        this.logger.error({ msg: 'unusable key in the JWKS: ignored' });
        continue;
      }
      keys.set(jwk.kid, compiled);
      points.set(jwk.kid, `${jwk.x}.${jwk.y}`);
      published.push(jwk);
    }
    const removed = [...this.points].filter(([kid, point]) => points.get(kid) !== point);
    this.keys = keys;
    this.points = points;
    this.jwks = jwks === undefined ? undefined : publicDocument({ keys: published });
    if (removed.length > 0) {
      const kids = removed.map(([kid]) => kid);
      for (const listener of this.removedListeners) listener(kids);
    }
  }

  private applyIssuer(record: IssuerRecord | undefined): void {
    const usable =
      record !== undefined &&
      typeof record.issuer === 'string' &&
      Array.isArray(record.audiences) &&
      Array.isArray(record.scopes);
    if (record !== undefined && !usable) {
      this.logger.error({ msg: 'unusable issuer record: Bearer tokens are refused' });
    }
    this.issuer = usable ? record : undefined;
    this.discovery = usable ? publicDocument(discoveryDocument(record)) : undefined;
  }
}

/** A published key may only be what the token service makes: P-256 for ES256 signatures. */
function asPublicJwk(value: unknown): PublicJwk | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const jwk = value as Partial<Record<keyof PublicJwk, unknown>>;
  if (
    typeof jwk.kid !== 'string' ||
    jwk.kid === '' ||
    jwk.kty !== 'EC' ||
    jwk.crv !== 'P-256' ||
    jwk.alg !== 'ES256' ||
    (jwk.use !== undefined && jwk.use !== 'sig') ||
    typeof jwk.x !== 'string' ||
    typeof jwk.y !== 'string'
  ) {
    return undefined;
  }
  return { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y, kid: jwk.kid, alg: 'ES256', use: 'sig' };
}

function compileKey(jwk: PublicJwk): KeyObject | undefined {
  try {
    return createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: jwk.x, y: jwk.y },
      format: 'jwk',
    });
  } catch {
    return undefined;
  }
}
