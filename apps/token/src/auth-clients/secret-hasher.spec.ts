import { createHmac, hkdfSync, randomBytes } from 'node:crypto';
import { SecretHasher } from './secret-hasher.js';

describe(SecretHasher.name, () => {
  const key = randomBytes(32);

  it('is HMAC-SHA256 under the HKDF-derived key, not the key-encryption key itself', () => {
    const derived = Buffer.from(
      hkdfSync('sha256', key, Buffer.alloc(0), 'loyalty-edge auth-client secret hash', 32),
    );
    const hash = new SecretHasher(key).hash('lecs_secret');
    expect(hash).toEqual(createHmac('sha256', derived).update('lecs_secret').digest());
    expect(hash).not.toEqual(createHmac('sha256', key).update('lecs_secret').digest());
    expect(hash.toString('latin1')).not.toContain('secret');
  });

  it('matches the right secret only', () => {
    const hasher = new SecretHasher(key);
    const stored = hasher.hash('lecs_right');
    expect(hasher.matches('lecs_right', stored)).toBe(true);
    expect(hasher.matches('lecs_wrong', stored)).toBe(false);
    expect(hasher.matches('lecs_right', stored.subarray(0, 16))).toBe(false);
  });

  it('gives another hash under another key-encryption key', () => {
    expect(new SecretHasher(randomBytes(32)).hash('x')).not.toEqual(
      new SecretHasher(key).hash('x'),
    );
  });
});
