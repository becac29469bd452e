import type { AccessClaims } from './access-token.js';
import { VerifiedTokens, type VerifiedToken } from './verified-tokens.js';

function entry(kid: string, exp: number): VerifiedToken {
  const claims: AccessClaims = {
    iss: 'i',
    aud: ['a'],
    exp,
    iat: exp - 600,
    nbf: undefined,
    sub: 'c',
    jti: 'j',
    clientId: 'c',
    workspaceId: 'w',
    scopes: [],
  };
  return { kid, claims };
}

describe(VerifiedTokens.name, () => {
  it('remembers a token until it expires (with the leeway)', () => {
    const tokens = new VerifiedTokens();
    tokens.add('t1', entry('k1', 1000), 900);
    expect(tokens.get('t1', 1029)?.kid).toBe('k1');
    expect(tokens.get('t1', 1030)).toBeUndefined();
    expect(tokens.size).toBe(0);
  });

  it('does not keep a token that has already expired', () => {
    const tokens = new VerifiedTokens();
    tokens.add('t1', entry('k1', 1000), 2000);
    expect(tokens.size).toBe(0);
  });

  it('stays bounded: the oldest token leaves first', () => {
    const tokens = new VerifiedTokens(2);
    tokens.add('t1', entry('k1', 1000), 0);
    tokens.add('t2', entry('k1', 1000), 0);
    tokens.add('t3', entry('k1', 1000), 0);
    expect(tokens.size).toBe(2);
    expect(tokens.get('t1', 0)).toBeUndefined();
    expect(tokens.get('t3', 0)).toBeDefined();
  });

  it('forgets every token of a key that left the JWKS', () => {
    const tokens = new VerifiedTokens();
    tokens.add('t1', entry('k1', 1000), 0);
    tokens.add('t2', entry('k2', 1000), 0);
    tokens.forgetKids(['k1']);
    expect(tokens.get('t1', 0)).toBeUndefined();
    expect(tokens.get('t2', 0)).toBeDefined();
  });

  it('sweeps expired tokens as new ones arrive', () => {
    const tokens = new VerifiedTokens(100, 3);
    tokens.add('t1', entry('k1', 100), 0);
    tokens.add('t2', entry('k1', 100), 0);
    tokens.add('t3', entry('k1', 1000), 500);
    expect(tokens.size).toBe(1);
  });
});
