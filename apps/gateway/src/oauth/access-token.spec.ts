import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { bearerToken, parseToken, readClaims, timeProblem } from './access-token.js';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

const claims = {
  iss: 'https://gw.example',
  aud: 'loyalty',
  sub: 'lec_a',
  client_id: 'lec_a',
  workspace_id: 'ws-1',
  scope: 'loyalty.async_events other',
  jti: 'j1',
  iat: 1000,
  nbf: 1000,
  exp: 1600,
};

function token(header: Record<string, unknown>, payload: unknown = claims): string {
  const input = `${b64(header)}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

const good = { alg: 'ES256', typ: 'at+jwt', kid: 'k1' };

describe(parseToken.name, () => {
  it('takes a good token apart so that its signature verifies', () => {
    const parsed = parseToken(token(good));
    if (!parsed.ok) throw new Error(parsed.reason);
    expect(parsed.kid).toBe('k1');
    expect(parsed.signature).toHaveLength(64);
    expect(
      verify(
        'sha256',
        parsed.signingInput,
        { key: publicKey, dsaEncoding: 'ieee-p1363' },
        parsed.signature,
      ),
    ).toBe(true);
    expect(parseToken(token({ ...good, typ: 'Application/AT+JWT' })).ok).toBe(true);
  });

  it('allows ES256 only', () => {
    for (const alg of ['none', 'HS256', 'RS256', 'ES384', 'es256', undefined]) {
      expect([alg, parseToken(token({ ...good, alg }))]).toEqual([
        alg,
        { ok: false, reason: 'alg_not_allowed' },
      ]);
    }
    expect(parseToken(`${b64({ alg: 'none', typ: 'at+jwt', kid: 'k1' })}.${b64(claims)}.`)).toEqual(
      {
        ok: false,
        reason: 'alg_not_allowed',
      },
    );
  });

  it('refuses a wrong typ, a missing kid, crit, and what is not a compact JWS', () => {
    for (const header of [
      { ...good, typ: 'JWT' },
      { alg: 'ES256', kid: 'k1' },
      { ...good, kid: '' },
      { ...good, kid: 7 },
      { ...good, crit: ['b64'] },
    ]) {
      expect(parseToken(token(header))).toEqual({ ok: false, reason: 'bearer_malformed' });
    }
    const valid = token(good);
    for (const bad of [
      'abc',
      `${valid}.x`,
      `!${valid}`,
      `${b64([1])}.${b64(claims)}.${valid.split('.')[2] ?? ''}`,
      `${Buffer.from('{not json').toString('base64url')}.${b64(claims)}.sig`,
      'x'.repeat(9000),
    ]) {
      expect(parseToken(bad)).toEqual({ ok: false, reason: 'bearer_malformed' });
    }
  });

  it('refuses a signature that is not 64 bytes of base64url', () => {
    const [head, payload] = token(good).split('.');
    for (const signature of ['', 'AAAA', Buffer.alloc(72).toString('base64url'), '*'.repeat(86)]) {
      expect(parseToken(`${head ?? ''}.${payload ?? ''}.${signature}`)).toEqual({
        ok: false,
        reason: 'bad_signature',
      });
    }
  });
});

describe(readClaims.name, () => {
  it('reads the claims the gateway needs; aud as a string or a list', () => {
    expect(readClaims(b64(claims))).toEqual({
      iss: 'https://gw.example',
      aud: ['loyalty'],
      exp: 1600,
      iat: 1000,
      nbf: 1000,
      sub: 'lec_a',
      jti: 'j1',
      clientId: 'lec_a',
      workspaceId: 'ws-1',
      scopes: ['loyalty.async_events', 'other'],
    });
    expect(readClaims(b64({ ...claims, aud: ['a', 'b'], nbf: undefined }))).toMatchObject({
      aud: ['a', 'b'],
      nbf: undefined,
    });
  });

  it('refuses missing or mistyped claims', () => {
    for (const broken of [
      { ...claims, exp: '1600' },
      { ...claims, iat: undefined },
      { ...claims, nbf: 'soon' },
      { ...claims, aud: [1] },
      { ...claims, workspace_id: '' },
      { ...claims, client_id: undefined },
      { ...claims, scope: ['a'] },
      { ...claims, exp: Number.POSITIVE_INFINITY },
    ]) {
      expect(readClaims(b64(broken))).toBeUndefined();
    }
    expect(readClaims(b64('just a string'))).toBeUndefined();
  });
});

describe(timeProblem.name, () => {
  const read = readClaims(b64(claims));
  if (read === undefined) throw new Error('claims');

  it('allows 30 seconds of clock difference either way', () => {
    expect(timeProblem(read, 1629)).toBeUndefined();
    expect(timeProblem(read, 1630)).toBe('token_expired');
    expect(timeProblem(read, 970)).toBeUndefined();
    expect(timeProblem(read, 969)).toBe('token_not_yet_valid');
    expect(timeProblem({ ...read, nbf: 1200 }, 1100)).toBe('token_not_yet_valid');
  });
});

describe(bearerToken.name, () => {
  it('reads the token of a Bearer header, any case of the scheme', () => {
    expect(bearerToken('Bearer a.b.c')).toBe('a.b.c');
    expect(bearerToken('bearer  a.b.c ')).toBe('a.b.c');
    expect(bearerToken('Bearer')).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken('Bearer a,b')).toBeUndefined();
  });
});
