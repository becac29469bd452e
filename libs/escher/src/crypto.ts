import { createHmac, createSecretKey, hash, timingSafeEqual, type KeyObject } from 'node:crypto';
import type { HashAlgo } from './config.js';

/**
 * What signs or verifies a request: the API secret, or the signing key derived from it for one
 * day, scope and hash algorithm (see {@link deriveSigningKey}). Holders of a signing key cannot
 * recover the secret, and the key is worthless on any other day.
 */
export type KeyMaterial = { readonly secret: string } | { readonly signingKey: Uint8Array };

const NODE_NAMES = { SHA256: 'sha256', SHA512: 'sha512' } as const;

/** Hex digest; strings are hashed as UTF-8. (One-shot `hash` is twice as fast as createHash.) */
export function hashHex(algo: HashAlgo, data: string | Uint8Array): string {
  return hash(NODE_NAMES[algo], data, 'hex');
}

export function hmac(algo: HashAlgo, key: string | Uint8Array | KeyObject, data: string): Buffer {
  return createHmac(NODE_NAMES[algo], key).update(data).digest();
}

/**
 * HMAC keys for pre-derived signing keys, memoised per key buffer: a gateway hands in the same
 * cached Buffer for every request of the day, and HMAC with a KeyObject skips re-importing the key.
 */
const KEY_OBJECTS = new WeakMap<Uint8Array, KeyObject>();

function keyObjectOf(key: Uint8Array): KeyObject {
  let keyObject = KEY_OBJECTS.get(key);
  if (keyObject === undefined) {
    keyObject = createSecretKey(key);
    KEY_OBJECTS.set(key, keyObject);
  }
  return keyObject;
}

/**
 * Escher's signing key: `k = algoPrefix + secret`, then `k = HMAC(k, part)` for each part of
 * `[shortDate, ...credentialScope.split('/')]`. `shortDate` is `YYYYMMDD` (UTC).
 */
export function deriveSigningKey(
  secret: string,
  algoPrefix: string,
  hashAlgo: HashAlgo,
  shortDate: string,
  credentialScope: string,
): Buffer {
  let key = hmac(hashAlgo, algoPrefix + secret, shortDate);
  for (const part of credentialScope.split('/')) key = hmac(hashAlgo, key, part);
  return key;
}

/** The signing key of `material`: derived from a secret, or the pre-derived key. */
export function signingKeyOf(
  material: KeyMaterial,
  algoPrefix: string,
  hashAlgo: HashAlgo,
  shortDate: string,
  credentialScope: string,
): Uint8Array | KeyObject {
  return 'signingKey' in material
    ? keyObjectOf(material.signingKey)
    : deriveSigningKey(material.secret, algoPrefix, hashAlgo, shortDate, credentialScope);
}

/** A usable KeyMaterial (checked at run time: lookups and configs may come from plain JS). */
export function isKeyMaterial(value: unknown): value is KeyMaterial {
  if (typeof value !== 'object' || value === null) return false;
  if ('signingKey' in value) return value.signingKey instanceof Uint8Array;
  return 'secret' in value && typeof value.secret === 'string';
}

/**
 * Compares a signature given as lower-case hex with the expected digest in constant time
 * (the length of the digest is public). Hex validity was checked by the auth header parser.
 */
export function signatureMatches(expected: Buffer, givenHex: string): boolean {
  if (givenHex.length !== expected.length * 2) return false;
  return timingSafeEqual(expected, Buffer.from(givenHex, 'hex'));
}
