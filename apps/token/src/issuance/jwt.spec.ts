import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { AccessTokenClaims } from '@loyalty-edge/token-contracts';
import { encodedHeader, signAccessToken } from './jwt.js';

function keyPair(kid: string) {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x = '', y = '' } = publicKey.export({ format: 'jwk' });
  return {
    signer: { kid, privateKey },
    jwk: { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' },
  };
}

const claims: AccessTokenClaims = {
  iss: 'https://gw.example.com',
  sub: 'lec_abcdefghijklmnopqrstuvwx',
  aud: 'https://gw.example.com/v1/async/events',
  client_id: 'lec_abcdefghijklmnopqrstuvwx',
  scope: 'loyalty.async_events',
  workspace_id: 'ws-1',
  jti: randomUUID(),
  iat: 1_800_000_000,
  nbf: 1_800_000_000,
  exp: 1_800_003_600,
};

describe(signAccessToken.name, () => {
  it('makes a compact ES256 JWS that an independent library verifies', async () => {
    const { signer, jwk } = keyPair('kid-1');
    const token = signAccessToken(signer, claims);
    expect(decodeProtectedHeader(token)).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'kid-1' });
    const { payload } = await jwtVerify(token, createLocalJWKSet({ keys: [jwk] }), {
      issuer: claims.iss,
      audience: claims.aud,
      typ: 'at+jwt',
      currentDate: new Date((claims.iat + 10) * 1000),
    });
    expect(payload).toEqual(claims);
  });

  it('has a 64-byte raw r||s signature, not DER', () => {
    const token = signAccessToken(keyPair('kid-2').signer, claims);
    expect(Buffer.from(token.split('.')[2] ?? '', 'base64url')).toHaveLength(64);
  });

  it('does not verify under another key with the same kid', async () => {
    const token = signAccessToken(keyPair('kid-3').signer, claims);
    const other = keyPair('kid-3').jwk;
    await expect(
      jwtVerify(token, createLocalJWKSet({ keys: [other] }), {
        currentDate: new Date((claims.iat + 10) * 1000),
      }),
    ).rejects.toThrow('signature verification failed');
  });

  it('encodes the header once per key id', () => {
    expect(encodedHeader('kid-4')).toBe(encodedHeader('kid-4'));
    expect(JSON.parse(Buffer.from(encodedHeader('kid-4'), 'base64url').toString())).toEqual({
      alg: 'ES256',
      typ: 'at+jwt',
      kid: 'kid-4',
    });
  });
});
