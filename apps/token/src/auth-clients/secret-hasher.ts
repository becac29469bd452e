import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';

const INFO = 'loyalty-edge auth-client secret hash';

/**
 * Client secrets are stored only as HMAC-SHA256 under a key derived (HKDF-SHA256) from
 * TOKEN_KEY_ENCRYPTION_KEY: 256 random bits need no slow hash, and a copy of the table without
 * that key cannot even be checked against a guess. Comparisons are constant-time.
 */
export class SecretHasher {
  private readonly key: Buffer;

  constructor(encryptionKey: Buffer) {
    this.key = Buffer.from(hkdfSync('sha256', encryptionKey, Buffer.alloc(0), INFO, 32));
  }

  hash(secret: string): Buffer {
    return createHmac('sha256', this.key).update(secret, 'utf8').digest();
  }

  /** Whether `secret` hashes to `stored`; does the same work whatever the answer. */
  matches(secret: string, stored: Buffer): boolean {
    const candidate = this.hash(secret);
    return candidate.length === stored.length && timingSafeEqual(candidate, stored);
  }
}
