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

/** Input block and digest sizes in bytes. */
const BLOCK_BYTES = { SHA256: 64, SHA512: 128 } as const;
const DIGEST_BYTES = { SHA256: 32, SHA512: 64 } as const;

/** A key's HMAC pads (RFC 2104): the key, zero-padded to the hash's block, XOR ipad and XOR opad. */
interface HmacPads {
  readonly inner: Buffer;
  readonly outer: Buffer;
}

/**
 * Pads of pre-derived signing keys, memoised per key buffer and hash algorithm: a gateway hands in
 * the same cached Buffer for every request of the day, so the key-dependent half of HMAC is done
 * once (the precomputation RFC 2104 §4 suggests).
 */
const PADS = new WeakMap<Uint8Array, Partial<Record<HashAlgo, HmacPads>>>();

function padsOf(algo: HashAlgo, key: Uint8Array): HmacPads {
  const block = BLOCK_BYTES[algo];
  const short = key.length > block ? hash(NODE_NAMES[algo], key, 'buffer') : key;
  const inner = Buffer.alloc(block, 0x36);
  const outer = Buffer.alloc(block, 0x5c);
  for (let i = 0; i < short.length; i++) {
    const byte = short[i] ?? 0;
    inner[i] = 0x36 ^ byte;
    outer[i] = 0x5c ^ byte;
  }
  return { inner, outer };
}

function cachedPadsOf(algo: HashAlgo, key: Uint8Array): HmacPads {
  let byAlgo = PADS.get(key);
  if (byAlgo === undefined) {
    byAlgo = {};
    PADS.set(key, byAlgo);
  }
  return (byAlgo[algo] ??= padsOf(algo, key));
}

/**
 * Scratch space for the two hash inputs, `(K ^ ipad) || data` and `(K ^ opad) || inner digest`.
 * Verification is synchronous, so one pair of buffers serves every call; their key bytes are
 * zeroed after each use.
 */
const innerInput = Buffer.alloc(4096);
const outerInput = Buffer.alloc(BLOCK_BYTES.SHA512 + DIGEST_BYTES.SHA512);

/**
 * `HMAC(key, data)` as lower-case hex, the same digest as `createHmac` (data hashed as UTF-8),
 * built from two one-shot hashes: for short messages that is several times cheaper than a Node
 * Hmac object. `cacheKey`: memoise the pads for this key buffer (a pre-derived day key).
 */
export function hmacHex(algo: HashAlgo, key: Uint8Array, data: string, cacheKey: boolean): string {
  const block = BLOCK_BYTES[algo];
  const name = NODE_NAMES[algo];
  // UTF-8 takes at most 3 bytes per UTF-16 code unit. A string to sign is far shorter.
  if (block + data.length * 3 > innerInput.length) {
    return createHmac(name, key).update(data).digest('hex');
  }
  const pads = cacheKey ? cachedPadsOf(algo, key) : padsOf(algo, key);
  pads.inner.copy(innerInput, 0);
  const length = block + innerInput.write(data, block, 'utf8');
  const inner = hash(name, innerView(length), 'hex');
  innerInput.fill(0, 0, block);
  pads.outer.copy(outerInput, 0);
  outerInput.write(inner, block, 'hex');
  const digest = hash(name, OUTER_VIEWS[algo], 'hex');
  outerInput.fill(0, 0, block);
  return digest;
}

const OUTER_VIEWS: Readonly<Record<HashAlgo, Buffer>> = {
  SHA256: outerInput.subarray(0, BLOCK_BYTES.SHA256 + DIGEST_BYTES.SHA256),
  SHA512: outerInput.subarray(0, BLOCK_BYTES.SHA512 + DIGEST_BYTES.SHA512),
};

// The string to sign has the same length for every request of a verifier and algorithm.
let lastView = innerInput.subarray(0, 0);

function innerView(length: number): Buffer {
  if (lastView.length !== length) lastView = innerInput.subarray(0, length);
  return lastView;
}

/** Decoded digests for {@link signatureMatches}, sized for the longest (SHA512). */
const expectedBytes = Buffer.alloc(DIGEST_BYTES.SHA512);
const givenBytes = Buffer.alloc(DIGEST_BYTES.SHA512);
const DIGEST_VIEWS = new Map<number, readonly [Buffer, Buffer]>(
  Object.values(DIGEST_BYTES).map((bytes) => [
    bytes,
    [expectedBytes.subarray(0, bytes), givenBytes.subarray(0, bytes)] as const,
  ]),
);

/**
 * Compares a signature given as hex with the expected hex digest in constant time (the length
 * of the digest is public). Hex validity was checked by the auth header parser; a given value
 * that does not decode to a whole digest does not match.
 */
export function signatureMatches(expectedHex: string, givenHex: string): boolean {
  if (givenHex.length !== expectedHex.length) return false;
  const bytes = expectedHex.length / 2;
  if (!Number.isInteger(bytes) || bytes > expectedBytes.length) return false;
  expectedBytes.write(expectedHex, 0, 'hex');
  if (givenBytes.write(givenHex, 0, 'hex') !== bytes) return false;
  const [expected, given] = DIGEST_VIEWS.get(bytes) ?? [
    expectedBytes.subarray(0, bytes),
    givenBytes.subarray(0, bytes),
  ];
  return timingSafeEqual(expected, given);
}
