import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hasher.js';

describe('password hashing', () => {
  it('stores scrypt with its parameters and a per-user salt', async () => {
    const first = await hashPassword('correct horse battery', 10);
    const second = await hashPassword('correct horse battery', 10);
    expect(first).toMatch(/^scrypt\$10\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(first).not.toBe(second);
    expect(first).not.toContain('horse');
  });

  it('uses N = 2^15 by default', async () => {
    expect(await hashPassword('correct horse battery')).toMatch(/^scrypt\$15\$8\$1\$/);
  });

  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('correct horse battery', 10);
    expect(await verifyPassword('correct horse battery', stored)).toBe(true);
    expect(await verifyPassword('correct horse batterx', stored)).toBe(false);
  });

  it('refuses a malformed hash instead of throwing', async () => {
    expect(await verifyPassword('x', 'bcrypt$whatever')).toBe(false);
    expect(await verifyPassword('x', 'scrypt$10$8$1$AAAA$AAAA')).toBe(false);
  });

  it('spends a check on unknown accounts and always fails', async () => {
    expect(await verifyAgainstDummy('anything at all')).toBe(false);
  });
});
