import { createHmac, createPublicKey, generateKeyPairSync, sign } from 'node:crypto';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import { kvDelete, openBucket } from '@loyalty-edge/nats';
import { within } from '@loyalty-edge/testing';
import { JWKS_KEY } from '@loyalty-edge/token-contracts';
import {
  OAuthWorld,
  SCOPE,
  basicAuth,
  signingKey,
  type TestClient,
} from './support/oauth-world.js';

const world = new OAuthWorld();
const path = '/v1/async/events';
let client: TestClient;
let token: string;

beforeAll(async () => {
  await world.start();
  client = await world.addClient('ws-bearer');
  token = await issue(client);
});

afterAll(async () => {
  await world.stop();
});

/** A token from the token endpoint (signed by the stand-in token service). */
async function issue(of: TestClient): Promise<string> {
  const response = await fetch(`${world.url}/v1/auth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: basicAuth(of.clientId, of.secret),
    },
    body: 'grant_type=client_credentials',
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { access_token: string }).access_token;
}

interface Answer {
  readonly status: number;
  readonly challenge: string | null;
  readonly body: unknown;
}

async function call(authorization?: string, query = '', requestId?: string): Promise<Answer> {
  const response = await fetch(`${world.url}${path}${query}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-le-client-id': 'spoofed',
      ...(authorization === undefined ? {} : { authorization }),
      ...(requestId === undefined ? {} : { 'x-request-id': requestId }),
    },
    body: JSON.stringify({ customer: 'c1', action: 'opt_in', data: {} }),
  });
  return {
    status: response.status,
    challenge: response.headers.get('www-authenticate'),
    body: await response.json(),
  };
}

const REALM = 'Bearer realm="loyalty-edge"';
const INVALID = {
  status: 401,
  challenge: `${REALM}, error="invalid_token"`,
  body: {
    error: {
      type: 'UnauthorizedException',
      code: 220052,
      message: 'Bearer token authentication failed',
    },
  },
};

const b64 = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Refused as invalid, with this precise reason in the failed-call log. */
async function expectInvalid(bearer: string, reason: string): Promise<void> {
  const requestId = `bearer-${reason}-${Math.random().toString(36).slice(2)}`;
  expect(await call(`Bearer ${bearer}`, '', requestId)).toEqual(INVALID);
  await expectReason(requestId, reason);
}

async function expectReason(requestId: string, reason: string): Promise<void> {
  await within(3000, async () =>
    (await world.failedCalls()).some((e) => e.requestId === requestId && e.reason === reason),
  );
}

describe('Bearer tokens on the Async Events API', () => {
  it('forwards a valid token with the workspace, the client and the method, never the token', async () => {
    world.seen.length = 0;
    const answer = await call(`Bearer ${token}`);
    expect(answer.status).toBe(200);
    expect(world.seen).toHaveLength(1);
    const headers = world.seen[0]?.headers ?? {};
    expect(headers['x-le-workspace-id']).toBe('ws-bearer');
    expect(headers['x-le-auth-method']).toBe('bearer');
    expect(headers['x-le-client-id']).toBe(client.clientId);
    expect(headers.authorization).toBeUndefined();
  });

  it('refreshes the JWKS once for an unknown kid, then at most once per interval', async () => {
    const rotated = signingKey('kid-rotated');
    world.rpcJwks = [world.key.jwk, rotated.jwk];
    const calls = world.jwksCalls;
    const claims = world.claims(client);
    // the first unknown kid of this run: the refresh is allowed, the request waits for it
    expect((await call(`Bearer ${world.sign(claims, {}, rotated)}`)).status).toBe(200);
    expect(world.jwksCalls).toBe(calls + 1);
    await expectInvalid(world.sign(claims, {}, signingKey('kid-another')), 'unknown_kid');
    expect(world.jwksCalls).toBe(calls + 1);
    // the KV copy wins again when the token service pushes it
    await world.put(KV_BUCKETS.jwks, JWKS_KEY, { keys: [world.key.jwk] });
    await within(2000, () => Promise.resolve(world.store.tokenKeys.key(rotated.kid) === undefined));
    await expectInvalid(world.sign(claims, {}, rotated), 'unknown_kid');
  });

  it('asks for a token when there is none, or when an api key or signature is sent', async () => {
    const required = {
      status: 401,
      challenge: REALM,
      body: {
        error: { type: 'UnauthorizedException', code: 220051, message: 'Bearer token required' },
      },
    };
    expect(await call()).toEqual(required);
    expect(await call(basicAuth(client.clientId, client.secret))).toEqual(required);
    const apiKey = 'lek_bearertestkey0000000000';
    await world.put(KV_BUCKETS.apiKeys, apiKey, {
      workspaceId: 'ws-bearer',
      status: 'active',
      version: 1,
    } satisfies ApiKeyRecord);
    await within(2000, () => Promise.resolve(world.store.apiKeys.has(apiKey)));
    const onlyBearer = {
      ...required,
      body: {
        error: {
          type: 'UnauthorizedException',
          code: 220051,
          message: 'The Async Events API requires a Bearer token',
        },
      },
    };
    expect(await call(undefined, `?api_key=${apiKey}`)).toEqual(onlyBearer);
    expect(
      await call(
        'ANTAVO-HMAC-SHA256 Credential=lek_x/20261130/eu/api/antavo_request, SignedHeaders=host, Signature=00',
      ),
    ).toEqual(onlyBearer);
  });

  it('refuses malformed tokens and any algorithm but ES256', async () => {
    const claims = world.claims(client);
    await expectInvalid('not-a-jwt', 'bearer_malformed');
    await expectInvalid(
      `${b64({ alg: 'none', typ: 'at+jwt', kid: world.key.kid })}.${b64(claims)}.`,
      'alg_not_allowed',
    );
    // HS256 keyed with the public key's bytes: the classic algorithm confusion
    const hsInput = `${b64({ alg: 'HS256', typ: 'at+jwt', kid: world.key.kid })}.${b64(claims)}`;
    const publicPem = createPublicKey({ key: { ...world.key.jwk }, format: 'jwk' }).export({
      type: 'spki',
      format: 'pem',
    });
    const hs = createHmac('sha256', publicPem).update(hsInput).digest('base64url');
    await expectInvalid(`${hsInput}.${hs}`, 'alg_not_allowed');
    const { privateKey: rsa } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rsInput = `${b64({ alg: 'RS256', typ: 'at+jwt', kid: world.key.kid })}.${b64(claims)}`;
    await expectInvalid(
      `${rsInput}.${sign('sha256', Buffer.from(rsInput), rsa).toString('base64url')}`,
      'alg_not_allowed',
    );
    await expectInvalid(world.sign(claims, { typ: 'JWT' }), 'bearer_malformed');
  });

  it('refuses a forged signature and an unknown key', async () => {
    const claims = world.claims(client);
    const forger = signingKey(world.key.kid);
    await expectInvalid(world.sign(claims, {}, forger), 'bad_signature');
    const [head, , signature] = token.split('.');
    const tampered = `${head ?? ''}.${b64({ ...claims, workspace_id: 'ws-other' })}.${signature ?? ''}`;
    await expectInvalid(tampered, 'bad_signature');
    // within the refresh interval (the JWKS was refreshed by an earlier test): no new request
    const calls = world.jwksCalls;
    await expectInvalid(world.sign(claims, {}, signingKey('kid-nobody-knows')), 'unknown_kid');
    expect(world.jwksCalls).toBe(calls);
  });

  it('refuses expired, not yet valid, and foreign tokens', async () => {
    const now = Math.floor(Date.now() / 1000);
    const claims = world.claims(client);
    await expectInvalid(world.sign({ ...claims, iat: now - 1000, exp: now - 31 }), 'token_expired');
    await expectInvalid(world.sign({ ...claims, nbf: now + 120 }), 'token_not_yet_valid');
    await expectInvalid(world.sign({ ...claims, iat: now + 120 }), 'token_not_yet_valid');
    await expectInvalid(world.sign({ ...claims, aud: 'someone-else' }), 'wrong_audience');
    await expectInvalid(
      world.sign({ ...claims, iss: 'https://elsewhere.example' }),
      'wrong_issuer',
    );
    await expectInvalid(world.sign({ ...claims, client_id: 'lec_nobody' }), 'unknown_client');
    // a token of workspace A's client that claims workspace B
    await world.putWorkspace('ws-other');
    await expectInvalid(world.sign({ ...claims, workspace_id: 'ws-other' }), 'workspace_mismatch');
    // within the leeway: still accepted
    expect((await call(`Bearer ${world.sign({ ...claims, exp: now - 5 })}`)).status).toBe(200);
  });

  it('answers 403 insufficient_scope when the token lacks the API scope', async () => {
    const requestId = `bearer-scope-${Date.now()}`;
    const answer = await call(
      `Bearer ${world.sign(world.claims(client, 'loyalty.other'))}`,
      '',
      requestId,
    );
    expect(answer).toEqual({
      status: 403,
      challenge: `${REALM}, error="insufficient_scope", scope="${SCOPE}"`,
      body: {
        error: {
          type: 'ForbiddenException',
          code: 220053,
          message: 'The token does not have the required scope',
        },
      },
    });
    await expectReason(requestId, 'insufficient_scope');
  });

  it('refuses a token once its workspace has the module off, and from an IP not listed', async () => {
    const other = await world.addClient('ws-bearer-policy');
    const theirs = await issue(other);
    expect((await call(`Bearer ${theirs}`)).status).toBe(200);
    await world.putWorkspace('ws-bearer-policy', { asyncEvents: false });
    expect(await call(`Bearer ${theirs}`)).toEqual({
      status: 403,
      challenge: null,
      body: {
        error: {
          type: 'ForbiddenException',
          code: 220054,
          message: 'The Async Events module is not enabled for this workspace',
        },
      },
    });
    await world.put(KV_BUCKETS.ipFilters, 'ws-bearer-policy', {
      workspaceId: 'ws-bearer-policy',
      apis: { 'async-events': ['10.0.0.1'] },
      revision: 1,
    } satisfies IpFilterRecord);
    await world.putWorkspace('ws-bearer-policy', { asyncEvents: true, ipFilter: true });
    await within(2000, () =>
      Promise.resolve(world.store.ipPolicies.get('ws-bearer-policy') !== undefined),
    );
    expect(await call(`Bearer ${theirs}`)).toEqual({
      status: 403,
      challenge: null,
      body: {
        error: {
          type: 'ForbiddenException',
          code: 110403,
          message: 'Access from this IP address is not allowed',
        },
      },
    });
  });

  it('refuses a live token as soon as its client is revoked', async () => {
    const revokedLater = await world.addClient('ws-bearer');
    const live = await issue(revokedLater);
    expect((await call(`Bearer ${live}`)).status).toBe(200);
    const { authClients } = KV_BUCKETS;
    const started = performance.now();
    await world.put(authClients, revokedLater.clientId, {
      workspaceId: 'ws-bearer',
      status: 'revoked',
      expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      revokedAt: new Date().toISOString(),
    });
    await within(1000, async () => (await call(`Bearer ${live}`)).status === 401);
    const elapsed = performance.now() - started;
    process.stdout.write(`revoked auth client refused ${elapsed.toFixed(1)} ms after the KV put\n`);
    expect(elapsed).toBeLessThan(1000);
    await expectInvalid(live, 'client_revoked');
    // a record pruned later: absent, refused too
    await kvDelete(await openBucket(world.link, authClients), revokedLater.clientId);
    await within(2000, () => Promise.resolve(!world.store.authClients.has(revokedLater.clientId)));
    await expectInvalid(live, 'unknown_client');
  });
});
