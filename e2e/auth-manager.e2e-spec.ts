import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import * as oauth from 'oauth4webapi';
import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// The Authentication Manager end to end: an admin creates an auth client through the management
// API, an integrator gets a token with a standard OAuth2 library at two gateway replicas,
// verifies it with jose against the published JWKS, calls the Async Events API with it, and a
// revoke stops its live token at every replica.

interface Client {
  clientId: string;
  clientSecret: string;
  status: string;
}

let platform: TestPlatform;
let operator: ManagementClient;
let issuer: string;
let as: oauth.AuthorizationServer;
const workspace = `am-${randomBytes(3).toString('hex')}`;
const other = `am-${randomBytes(3).toString('hex')}`;
// eslint-disable-next-line @typescript-eslint/no-deprecated -- the test platform serves plain HTTP on loopback
const insecure = { [oauth.allowInsecureRequests]: true };

async function createClient(ws: string, name: string): Promise<Client> {
  const options = await operator.ok<{ scopes: string[]; audiences: string[] }>(
    'GET',
    '/api/auth-client-options',
  );
  return operator.ok<Client>('POST', `/api/workspaces/${ws}/auth-clients`, {
    name,
    purpose: 'end-to-end test',
    expiresAt: new Date(Date.now() + 7 * 86_400_000).toISOString(),
    scopes: options.scopes,
    audience: options.audiences[0],
  });
}

async function tokenFor(client: Client, gateway = issuer, basic = true): Promise<string> {
  const server = gateway === issuer ? as : { ...as, token_endpoint: `${gateway}/v1/auth/token` };
  const auth = basic
    ? oauth.ClientSecretBasic(client.clientSecret)
    : oauth.ClientSecretPost(client.clientSecret);
  const response = await oauth.clientCredentialsGrantRequest(
    server,
    { client_id: client.clientId },
    auth,
    new URLSearchParams({ scope: 'loyalty.async_events' }),
    insecure,
  );
  const result = await oauth.processClientCredentialsResponse(
    server,
    { client_id: client.clientId },
    response,
  );
  return result.access_token;
}

function asyncEvent(gateway: string, token: string, body: unknown): Promise<Response> {
  return fetch(`${gateway}/v1/async/events`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

const base64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

beforeAll(async () => {
  platform = await startTestPlatform({ extraGateways: 1 });
  issuer = platform.gateways[0] ?? '';
  operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
  for (const id of [workspace, other]) {
    await operator.ok('POST', '/api/workspaces', { id, name: `Auth manager ${id}` });
    await operator.switchModules(id, { asyncEvents: true });
  }
  const discovery = await oauth.discoveryRequest(new URL(issuer), {
    algorithm: 'oauth2',
    ...insecure,
  });
  as = await oauth.processDiscoveryResponse(new URL(issuer), discovery);
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
});

describe('Authentication Manager end to end', () => {
  let client: Client;
  let token: string;

  it('publishes the discovery document of a client-credentials issuer', () => {
    expect(as).toMatchObject({
      issuer,
      token_endpoint: `${issuer}/v1/auth/token`,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      scopes_supported: ['loyalty.async_events'],
    });
  });

  it('issues a token that jose verifies against the running JWKS', async () => {
    client = await createClient(workspace, 'integration');
    expect(client.clientSecret).toMatch(/^lecs_[A-Za-z0-9_-]{43}$/);
    token = await tokenFor(client);
    const options = await operator.ok<{ audiences: string[]; tokenValiditySeconds: number }>(
      'GET',
      '/api/auth-client-options',
    );
    const jwks = createRemoteJWKSet(new URL(`${issuer}/.well-known/jwks.json`));
    const { payload, protectedHeader } = await jwtVerify(token, jwks, {
      issuer,
      audience: options.audiences[0],
      typ: 'at+jwt',
      algorithms: ['ES256'],
    });
    expect(protectedHeader.kid).toEqual(expect.any(String));
    expect(payload).toMatchObject({
      sub: client.clientId,
      client_id: client.clientId,
      scope: 'loyalty.async_events',
      workspace_id: workspace,
    });
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(options.tokenValiditySeconds);
    expect(payload.jti).toEqual(expect.any(String));
  });

  it('takes client_secret_post at the second gateway replica', async () => {
    const second = await tokenFor(client, platform.gateways[1], false);
    expect(second).not.toBe(token);
  });

  it('queues an async event with the token and reports it processed through the gateway', async () => {
    const accepted = await asyncEvent(issuer, token, {
      customer: 'am-customer-1',
      action: 'opt_in',
      data: { first_name: 'Ada', email: 'ada@example.com' },
    });
    expect(accepted.status).toBe(200);
    const body = (await accepted.json()) as {
      status: string;
      payload: { correlation_id: string; status: string };
    };
    expect(body).toMatchObject({ status: 'success', payload: { status: 'queued' } });
    let status = '';
    await within(15_000, async () => {
      const answer = await fetch(`${issuer}/v1/async/events/${body.payload.correlation_id}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      status = ((await answer.json()) as { payload: { status: string } }).payload.status;
      return status === 'processed';
    });
    expect(status).toBe('processed');
  });

  it("keeps another workspace's token away from this workspace's events", async () => {
    const theirs = await tokenFor(await createClient(other, 'other workspace'));
    const mine = await asyncEvent(issuer, token, { customer: 'am-c2', action: 'opt_in' });
    const { payload } = (await mine.json()) as { payload: { correlation_id: string } };
    const peek = await fetch(`${issuer}/v1/async/events/${payload.correlation_id}`, {
      headers: { authorization: `Bearer ${theirs}` },
    });
    expect(peek.status).toBe(404);
  });

  it('refuses a wrong secret and a scope the client does not have, through the token service', async () => {
    const wrong = await fetch(`${issuer}/v1/auth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${client.clientId}:lecs_${'x'.repeat(43)}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('www-authenticate')).toBe('Basic realm="OAuth2 Token Endpoint"');
    expect(wrong.headers.get('cache-control')).toBe('no-store');
    expect(await wrong.json()).toEqual({
      status: 'error',
      error: 'invalid_client',
      details: {
        type: 'UnauthorizedException',
        code: 220010,
        message: 'Client authentication failed',
      },
    });
    const scope = await fetch(`${issuer}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: client.clientId,
        client_secret: client.clientSecret,
        scope: 'loyalty.admin',
      }).toString(),
    });
    expect(scope.status).toBe(400);
    expect(await scope.json()).toMatchObject({
      error: 'invalid_scope',
      details: { type: 'BadRequestException', code: 220015 },
    });
  });

  it('refuses forged, unsigned and HS256 tokens, and api_key, with their codes', async () => {
    const [header, payload] = token.split('.') as [string, string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    const { kid } = decodeProtectedHeader(token);
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const forgedInput = `${header}.${base64url({ ...claims, workspace_id: other })}`;
    const forged = `${forgedInput}.${sign('sha256', Buffer.from(forgedInput), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const none = `${base64url({ alg: 'none', typ: 'at+jwt', kid })}.${payload}.`;
    const jwk = JSON.stringify(
      ((await (await fetch(`${issuer}/.well-known/jwks.json`)).json()) as { keys: unknown[] })
        .keys[0],
    );
    const hsInput = `${base64url({ alg: 'HS256', typ: 'at+jwt', kid })}.${payload}`;
    const hs256 = `${hsInput}.${createHmac('sha256', jwk).update(hsInput).digest('base64url')}`;
    const tampered = `${header}.${base64url({ ...claims, workspace_id: other })}.${token.split('.')[2] ?? ''}`;
    for (const bad of [forged, none, hs256, tampered, 'not-a-jwt']) {
      const answer = await asyncEvent(issuer, bad, { customer: 'x', action: 'opt_in' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toContain('error="invalid_token"');
      expect(await answer.json()).toEqual({
        error: {
          type: 'UnauthorizedException',
          code: 220052,
          message: 'Bearer token authentication failed',
        },
      });
    }
    const credentials = await operator.ok<{ apiKey: string }>(
      'POST',
      `/api/workspaces/${workspace}/credentials`,
    );
    const plain = await fetch(`${issuer}/v1/async/events?api_key=${credentials.apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"customer":"x","action":"opt_in"}',
    });
    expect(plain.status).toBe(401);
    expect(((await plain.json()) as { error: { code: number } }).error.code).toBe(220051);
  });

  it('refuses a revoked client’s live token at both gateway replicas within a second', async () => {
    for (const gateway of platform.gateways) {
      const before = await asyncEvent(gateway, token, { customer: 'am-c3', action: 'opt_in' });
      expect(before.status).toBe(200);
    }
    const revoked = await operator.ok<Client>(
      'POST',
      `/api/workspaces/${workspace}/auth-clients/${client.clientId}/revoke`,
    );
    expect(revoked.status).toBe('revoked');
    const refusedAfter = await Promise.all(
      platform.gateways.map((gateway) =>
        within(1000, async () => {
          const answer = await asyncEvent(gateway, token, { customer: 'am-c4', action: 'opt_in' });
          return answer.status === 401;
        }),
      ),
    );
    process.stdout.write(
      `revoked client's token refused after ${refusedAfter.map((ms) => `${ms.toFixed(1)} ms`).join(' and ')} at two gateway replicas\n`,
    );
    const again = await fetch(`${issuer}/v1/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `grant_type=client_credentials&client_id=${client.clientId}&client_secret=${client.clientSecret}`,
    });
    expect(again.status).toBe(401);
    const second = await operator.ok<Client>(
      'POST',
      `/api/workspaces/${workspace}/auth-clients/${client.clientId}/revoke`,
    );
    expect(second.status).toBe('revoked');
  });

  it('records the lifecycle and every token request in the two audit logs', async () => {
    const { jti } = decodeJwt(token);
    let lifecycle: { action: string; source: string; actor: { email?: string } }[] = [];
    let tokens: { outcome: string; jti?: string; errorCode?: number; clientIp: string }[] = [];
    await within(10_000, async () => {
      lifecycle = (
        await operator.ok<{ items: typeof lifecycle }>(
          'GET',
          `/api/workspaces/${workspace}/audit/auth-clients?clientId=${client.clientId}`,
        )
      ).items;
      tokens = (
        await operator.ok<{ items: typeof tokens }>(
          'GET',
          `/api/workspaces/${workspace}/audit/tokens?clientId=${client.clientId}`,
        )
      ).items;
      // the token log arrives in batches: wait for the last refusal (after the revoke) too
      return (
        lifecycle.length >= 2 &&
        tokens.some((t) => t.errorCode === 220015) &&
        tokens.filter((t) => t.errorCode === 220010).length >= 2
      );
    });
    expect(lifecycle.map((entry) => entry.action).sort()).toEqual(['created', 'revoked']);
    expect(lifecycle[0]).toMatchObject({ source: 'ui', actor: { email: platform.admin.email } });
    expect(tokens.find((t) => t.jti === jti)).toMatchObject({ outcome: 'issued' });
    expect(tokens.filter((t) => t.errorCode === 220010).length).toBeGreaterThanOrEqual(2);
    const text = JSON.stringify({ lifecycle, tokens });
    expect(text).not.toContain(client.clientSecret);
    expect(text).not.toContain(token);
  });
});
