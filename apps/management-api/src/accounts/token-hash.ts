import { createHash, randomBytes } from 'node:crypto';

/** A random 256-bit token, URL-safe, with an optional recognisable prefix. */
export function newToken(prefix = ''): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

/**
 * The stored form of a session or access token. A random 256-bit token needs no slow hash:
 * SHA-256 is enough, and lookups by hash compare no secret in application code.
 */
export function tokenHash(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
