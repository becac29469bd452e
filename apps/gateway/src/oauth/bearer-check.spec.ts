import { generateKeyPairSync, sign } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import type { AuthClientRecord, PublicJwk } from '@loyalty-edge/token-contracts';
import { TokenKeys } from '../policies/token-keys.js';
import { Exchange } from '../proxy/exchange.js';
import type { AccessClaims } from './access-token.js';
import { BearerCheck } from './bearer-check.js';
import { VerifiedTokens } from './verified-tokens.js';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };
const SCOPE = 'loyalty.async_events';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const { x = '', y = '' } = publicKey.export({ format: 'jwk' });
const jwk: PublicJwk = { kty: 'EC', crv: 'P-256', x, y, kid: 'k1', alg: 'ES256', use: 'sig' };
const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

function world(): {
  check: BearerCheck;
  verified: VerifiedTokens;
  clients: Map<string, AuthClientRecord>;
  keys: TokenKeys;
} {
  const keys = new TokenKeys(silent);
  keys.apply('current', { keys: [jwk] });
  keys.apply('issuer', {
    issuer: 'https://gw',
    audiences: ['api'],
    scopes: [SCOPE],
    tokenValiditySeconds: 900,
  });
  const clients = new Map<string, AuthClientRecord>([
    [
      'c1',
      { workspaceId: 'w1', status: 'active', expiresAt: '2999-01-01T00:00:00Z', revokedAt: null },
    ],
  ]);
  const workspaces = new Map<string, WorkspaceRecord>([
    [
      'w1',
      {
        id: 'w1',
        name: 'w1',
        modules: { ipFilter: false, signatureCheck: false, asyncEvents: true },
      },
    ],
  ]);
  const verified = new VerifiedTokens();
  const check = new BearerCheck(
    { tokenKeys: keys, authClients: clients, workspaces },
    { allows: () => true },
    { count: () => undefined },
    { refresh: () => undefined },
    verified,
  );
  return { check, verified, clients, keys };
}

function claims(): Record<string, unknown> {
  const now = Math.floor(Date.now() / 1000);
  return {
    iss: 'https://gw',
    aud: 'api',
    sub: 'c1',
    client_id: 'c1',
    workspace_id: 'w1',
    scope: SCOPE,
    jti: 'j',
    iat: now,
    exp: now + 600,
  };
}

function signed(payload: Record<string, unknown>): string {
  const input = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'k1' })}.${b64(payload)}`;
  const signature = sign('sha256', Buffer.from(input), {
    key: privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return `${input}.${signature.toString('base64url')}`;
}

function exchange(token: string): Exchange {
  const req = { url: '/v1/async/events', headers: { authorization: `Bearer ${token}` } };
  return new Exchange(req as IncomingMessage, {} as ServerResponse, 'r1', undefined, 0);
}

const reasonOf = (outcome: ReturnType<BearerCheck['check']>): string | undefined =>
  outcome instanceof Promise ? 'pending' : outcome?.reason;

describe(BearerCheck.name, () => {
  it('admits a good token and sets who is calling', () => {
    const { check, verified } = world();
    const request = exchange(signed(claims()));
    expect(check.check(request, 'async-events', SCOPE)).toBeUndefined();
    expect(request).toMatchObject({ workspaceId: 'w1', clientId: 'c1', authMethod: 'bearer' });
    expect(verified.size).toBe(1);
  });

  it('takes a remembered token without verifying its signature again', () => {
    const { check, verified } = world();
    const unsigned = 'not.really.signed';
    const remembered: AccessClaims = {
      iss: 'https://gw',
      aud: ['api'],
      exp: Math.floor(Date.now() / 1000) + 600,
      iat: Math.floor(Date.now() / 1000),
      nbf: undefined,
      sub: 'c1',
      jti: 'j',
      clientId: 'c1',
      workspaceId: 'w1',
      scopes: [SCOPE],
    };
    verified.add(unsigned, { kid: 'k1', claims: remembered }, Date.now() / 1000);
    expect(check.check(exchange(unsigned), 'async-events', SCOPE)).toBeUndefined();
    verified.add(unsigned, { kid: 'k-gone', claims: remembered }, Date.now() / 1000);
    expect(reasonOf(check.check(exchange(unsigned), 'async-events', SCOPE))).toBe(
      'bearer_malformed',
    );
  });

  it('still checks revocation and expiry of a remembered token on every request', () => {
    const { check, clients } = world();
    const token = signed(claims());
    expect(check.check(exchange(token), 'async-events', SCOPE)).toBeUndefined();
    clients.set('c1', {
      workspaceId: 'w1',
      status: 'revoked',
      expiresAt: '2999-01-01T00:00:00Z',
      revokedAt: null,
    });
    expect(reasonOf(check.check(exchange(token), 'async-events', SCOPE))).toBe('client_revoked');
    clients.set('c1', {
      workspaceId: 'w1',
      status: 'active',
      expiresAt: '2000-01-01T00:00:00Z',
      revokedAt: null,
    });
    expect(reasonOf(check.check(exchange(token), 'async-events', SCOPE))).toBe('client_expired');
  });

  it('forgets remembered tokens of a key that leaves the JWKS', () => {
    const { check, verified, keys } = world();
    expect(check.check(exchange(signed(claims())), 'async-events', SCOPE)).toBeUndefined();
    keys.apply('current', { keys: [] });
    expect(verified.size).toBe(0);
  });
});
