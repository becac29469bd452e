import { generateKeyPairSync } from 'node:crypto';
import type { IssuerRecord, Jwks, PublicJwk } from '@loyalty-edge/token-contracts';
import { TokenKeys } from './token-keys.js';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

function jwk(kid: string): PublicJwk {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const { x = '', y = '' } = publicKey.export({ format: 'jwk' });
  return { kty: 'EC', crv: 'P-256', x, y, kid, alg: 'ES256', use: 'sig' };
}

const issuer: IssuerRecord = {
  issuer: 'https://gw.example/',
  audiences: ['loyalty'],
  scopes: ['loyalty.async_events'],
  tokenValiditySeconds: 900,
};

describe(TokenKeys.name, () => {
  it('compiles ES256 keys by kid and leaves out any other key', () => {
    const keys = new TokenKeys(silent);
    const rsa = { ...jwk('k-rsa'), kty: 'RSA' } as unknown as PublicJwk;
    const offCurve = { ...jwk('k-bad'), x: jwk('other').x };
    keys.apply('current', { keys: [jwk('k1'), rsa, offCurve] } satisfies Jwks);
    expect(keys.key('k1')?.asymmetricKeyType).toBe('ec');
    expect(keys.key('k-rsa')).toBeUndefined();
    expect(keys.key('k-bad')).toBeUndefined();
    expect(JSON.parse(keys.jwks?.body ?? '{}')).toEqual({
      keys: [expect.objectContaining({ kid: 'k1' })],
    });
    expect(keys.jwks?.etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
  });

  it('tells which kids left the key set or changed their key', () => {
    const keys = new TokenKeys(silent);
    const removed: string[][] = [];
    keys.onKeysRemoved((kids) => removed.push([...kids]));
    const k2 = jwk('k2');
    keys.apply('current', { keys: [jwk('k1'), k2] });
    keys.apply('current', { keys: [k2, jwk('k3')] });
    keys.apply('current', { keys: [k2, jwk('k3')] });
    keys.apply('current', undefined);
    expect(removed).toEqual([['k1'], ['k3'], ['k2', 'k3']]);
    expect(keys.jwks).toBeUndefined();
  });

  it('builds the discovery document from the issuer record', () => {
    const keys = new TokenKeys(silent);
    keys.apply('issuer', issuer);
    expect(keys.issuer).toEqual(issuer);
    expect(JSON.parse(keys.discovery?.body ?? '{}')).toEqual({
      issuer: 'https://gw.example/',
      token_endpoint: 'https://gw.example/v1/auth/token',
      jwks_uri: 'https://gw.example/.well-known/jwks.json',
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['loyalty.async_events'],
      response_types_supported: [],
    });
    keys.apply('issuer', { issuer: 42 });
    expect(keys.issuer).toBeUndefined();
    expect(keys.discovery).toBeUndefined();
  });
});
