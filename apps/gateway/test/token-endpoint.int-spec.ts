import * as oauth from 'oauth4webapi';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import { within } from '@loyalty-edge/testing';
import { AUDIENCE, OAuthWorld, SCOPE, basicAuth, type TestClient } from './support/oauth-world.js';

const world = new OAuthWorld();
let client: TestClient;
// the gateway under test listens on plain HTTP (loopback)
// eslint-disable-next-line @typescript-eslint/no-deprecated
const insecure = { [oauth.allowInsecureRequests]: true };

beforeAll(async () => {
  await world.start();
  client = await world.addClient('ws-token');
});

afterAll(async () => {
  await world.stop();
});

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: unknown;
}

async function post(
  body: string,
  headers: Record<string, string> = {},
  method = 'POST',
): Promise<Answer> {
  const response = await fetch(`${world.url}/v1/auth/token`, {
    method,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text && JSON.parse(text) };
}

function oauthError(error: string, type: string, code: number, message: string): unknown {
  return { status: 'error', error, details: { type, code, message } };
}

const CLIENT_FAILED = oauthError(
  'invalid_client',
  'UnauthorizedException',
  220010,
  'Client authentication failed',
);
const invalidRequest = (message: string): unknown =>
  oauthError('invalid_request', 'BadRequestException', 220011, message);

/** Every answer of the token endpoint carries these. */
function expectTokenHeaders(answer: Answer): void {
  expect(answer.headers.get('cache-control')).toBe('no-store');
  expect(answer.headers.get('pragma')).toBe('no-cache');
  expect(answer.headers.get('content-type')).toBe('application/json; charset=utf-8');
  expect(answer.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
}

function expectRefused(answer: Answer, status: number, body: unknown): void {
  expect({ status: answer.status, body: answer.body }).toEqual({ status, body });
  expectTokenHeaders(answer);
  expect(answer.headers.get('www-authenticate')).toBe(
    status === 401 ? 'Basic realm="OAuth2 Token Endpoint"' : null,
  );
}

const grant = 'grant_type=client_credentials';

describe('POST /v1/auth/token', () => {
  it('issues a token with client_secret_basic and client_secret_post (oauth4webapi), verifiable through the JWKS', async () => {
    const issuer = new URL(world.issuer.issuer);
    const as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: 'oauth2', ...insecure }),
    );
    const oauthClient: oauth.Client = { client_id: client.clientId };
    const jwks = createRemoteJWKSet(new URL(`${world.url}/.well-known/jwks.json`));
    for (const auth of [
      oauth.ClientSecretBasic(client.secret),
      oauth.ClientSecretPost(client.secret),
    ]) {
      const response = await oauth.clientCredentialsGrantRequest(
        as,
        oauthClient,
        auth,
        { scope: SCOPE },
        insecure,
      );
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(response.headers.get('pragma')).toBe('no-cache');
      const result = await oauth.processClientCredentialsResponse(as, oauthClient, response);
      expect(result).toMatchObject({ token_type: 'bearer', expires_in: 900, scope: SCOPE });
      const { payload, protectedHeader } = await jwtVerify(result.access_token, jwks, {
        issuer: world.url,
        audience: AUDIENCE,
        typ: 'at+jwt',
      });
      expect(protectedHeader).toMatchObject({ alg: 'ES256', kid: world.key.kid });
      expect(payload).toMatchObject({ client_id: client.clientId, workspace_id: 'ws-token' });
    }
  });

  it('answers exactly 200 {access_token, token_type, expires_in, scope}', async () => {
    const answer = await post(`${grant}&scope=${SCOPE}`, {
      authorization: basicAuth(client.clientId, client.secret),
    });
    expect(answer.status).toBe(200);
    expectTokenHeaders(answer);
    expect(Object.keys(answer.body as object).sort()).toEqual([
      'access_token',
      'expires_in',
      'scope',
      'token_type',
    ]);
    expect(answer.body).toMatchObject({ token_type: 'Bearer', expires_in: 900, scope: SCOPE });
  });

  it('answers 405 with Allow: POST to other methods', async () => {
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const answer = await post('', {}, method);
      expectRefused(
        answer,
        405,
        oauthError(
          'invalid_request',
          'MethodNotAllowedException',
          100405,
          'The token endpoint accepts POST only',
        ),
      );
      expect(answer.headers.get('allow')).toBe('POST');
    }
  });

  it('refuses malformed requests with invalid_request', async () => {
    const basic = { authorization: basicAuth(client.clientId, client.secret) };
    const cases: [string, Record<string, string>, string][] = [
      [
        grant,
        { ...basic, 'content-type': 'application/json' },
        'The request body must be application/x-www-form-urlencoded',
      ],
      [`${grant}&scope=a&scope=b`, basic, 'A request parameter is repeated'],
      [`${grant}&scope=%E0%A4%A`, basic, 'The request body is not a valid form'],
      [
        `${grant}&client_secret=${client.secret}`,
        basic,
        'Use one client authentication method, not both',
      ],
      [
        `${grant}&client_id=lec_someoneelse`,
        basic,
        'client_id does not match the client that authenticated',
      ],
      ['scope=x', basic, 'The grant_type parameter is required'],
      [
        `client_id=${client.clientId}&client_secret=${client.secret}`,
        {},
        'The grant_type parameter is required',
      ],
    ];
    for (const [body, headers, message] of cases) {
      expectRefused(await post(body, headers), 400, invalidRequest(message));
    }
  });

  it('refuses other grant types with unsupported_grant_type', async () => {
    const answer = await post('grant_type=password&username=a&password=b', {
      authorization: basicAuth(client.clientId, client.secret),
    });
    expectRefused(
      answer,
      400,
      oauthError(
        'unsupported_grant_type',
        'BadRequestException',
        220014,
        'Only the client_credentials grant type is supported',
      ),
    );
  });

  it('answers invalid_client without credentials, with a bad Basic header or another scheme', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Basic !!!' },
      { authorization: `Basic ${Buffer.from('no-colon').toString('base64')}` },
      { authorization: 'Bearer abc' },
    ]) {
      expectRefused(
        await post(`${grant}&client_id=${client.clientId}`, headers),
        401,
        CLIENT_FAILED,
      );
    }
  });

  it('refuses unknown, revoked and expired clients from memory, without asking the token service', async () => {
    const revoked = await world.addClient('ws-token', { status: 'revoked' });
    const expired = await world.addClient('ws-token', {
      expiresAt: new Date(Date.now() - 1000).toISOString(),
    });
    const calls = world.issueCalls;
    for (const id of ['lec_unknownclient0000000000', revoked.clientId, expired.clientId]) {
      expectRefused(
        await post(`${grant}&client_id=${id}&client_secret=whatever`),
        401,
        CLIENT_FAILED,
      );
    }
    expect(world.issueCalls).toBe(calls);
  });

  it('answers the token service refusals: a wrong secret, a scope not allowed', async () => {
    expectRefused(
      await post(grant, { authorization: basicAuth(client.clientId, 'lecs_wrong') }),
      401,
      CLIENT_FAILED,
    );
    expectRefused(
      await post(`${grant}&scope=loyalty.other`, {
        authorization: basicAuth(client.clientId, client.secret),
      }),
      400,
      oauthError(
        'invalid_scope',
        'BadRequestException',
        220015,
        'The requested scope is not allowed for this client',
      ),
    );
  });

  it('refuses a client whose workspace has the Async Events module off', async () => {
    const off = await world.addClient('ws-token-off');
    await world.putWorkspace('ws-token-off', { asyncEvents: false });
    expectRefused(
      await post(grant, { authorization: basicAuth(off.clientId, off.secret) }),
      400,
      oauthError(
        'unauthorized_client',
        'BadRequestException',
        220013,
        'The Async Events module is not enabled for this workspace',
      ),
    );
  });

  it('refuses a client IP outside the workspace allow-list for the token endpoint', async () => {
    const listed = await world.addClient('ws-token-ip');
    await world.put(KV_BUCKETS.ipFilters, 'ws-token-ip', {
      workspaceId: 'ws-token-ip',
      apis: { 'auth-token': ['10.0.0.1'] },
      revision: 1,
    } satisfies IpFilterRecord);
    await world.putWorkspace('ws-token-ip', { ipFilter: true });
    await within(2000, () =>
      Promise.resolve(world.store.ipPolicies.get('ws-token-ip') !== undefined),
    );
    const calls = world.issueCalls;
    const answer = await post(grant, { authorization: basicAuth(listed.clientId, listed.secret) });
    expectRefused(answer, 403, {
      status: 'error',
      error: 'access_denied',
      details: {
        type: 'ForbiddenException',
        code: 110403,
        message: 'Access from this IP address is not allowed',
      },
    });
    expect(world.issueCalls).toBe(calls);
  });

  it('answers 503 temporarily_unavailable when the token service fails or does not answer', async () => {
    const unavailable = oauthError(
      'temporarily_unavailable',
      'ServiceUnavailableException',
      110503,
      'The token service is unavailable',
    );
    const auth = { authorization: basicAuth(client.clientId, client.secret) };
    try {
      world.mode = 'internal';
      expectRefused(await post(grant, auth), 503, unavailable);
      world.mode = 'silent';
      expectRefused(await post(grant, auth), 503, unavailable);
    } finally {
      world.mode = 'ok';
    }
  });

  it('answers 413 for a body over the limit', async () => {
    const answer = await post(`${grant}&pad=${'x'.repeat(20_000)}`);
    expect(answer.status).toBe(413);
    expect(answer.body).toMatchObject({ status: 'error', error: 'invalid_request' });
    expectTokenHeaders(answer);
  });

  it('logs every answer in the token log and refusals in the failed-call log, never the secret', async () => {
    const marker = `lecs_${'s'.repeat(40)}`;
    const requestId = `tok-log-${Date.now()}`;
    await post(`${grant}&client_id=${client.clientId}&client_secret=${marker}`, {
      'x-request-id': requestId,
      'user-agent': `agent/${'u'.repeat(600)}`,
    });
    await post(grant, {
      authorization: basicAuth(client.clientId, marker),
      'x-request-id': `${requestId}-basic`,
    });
    const okId = `${requestId}-ok`;
    await post(grant, {
      authorization: basicAuth(client.clientId, client.secret),
      'x-request-id': okId,
    });
    await post(`${grant}&client_id=${'j'.repeat(500)}&client_secret=x`, {
      'x-request-id': `${requestId}-junk`,
    });
    let tokens = await world.tokenEvents();
    await within(3000, async () => {
      tokens = await world.tokenEvents();
      return tokens.filter((e) => e.requestId?.startsWith(requestId)).length === 4;
    });
    const refused = tokens.find((e) => e.requestId === requestId);
    expect(refused).toMatchObject({
      workspaceId: 'ws-token',
      clientId: client.clientId,
      outcome: 'error',
      error: 'invalid_client',
      errorCode: 220010,
      errorMessage: 'Client authentication failed',
      clientIp: '127.0.0.1',
    });
    expect(refused?.userAgent).toHaveLength(512);
    expect(tokens.find((e) => e.requestId === okId)).toMatchObject({
      workspaceId: 'ws-token',
      clientId: client.clientId,
      outcome: 'issued',
      scope: SCOPE,
      audience: AUDIENCE,
      jti: expect.any(String) as unknown,
    });
    const junk = tokens.find((e) => e.requestId === `${requestId}-junk`);
    expect(junk).toMatchObject({ workspaceId: null, outcome: 'error' });
    expect(junk?.clientId).toHaveLength(200);
    let failed = await world.failedCalls();
    await within(3000, async () => {
      failed = await world.failedCalls();
      return failed.filter((e) => e.requestId.startsWith(requestId)).length === 3;
    });
    const post1 = failed.find((e) => e.requestId === requestId);
    expect(post1).toMatchObject({
      api: 'auth-token',
      workspaceId: 'ws-token',
      reason: 'token_service_invalid_client',
    });
    expect(post1?.request.body).toContain('client_secret=[REDACTED]');
    expect(
      failed.find((e) => e.requestId === `${requestId}-basic`)?.request.headers.authorization,
    ).toBe('[REDACTED]');
    const logged = JSON.stringify([tokens, failed]);
    expect(logged).not.toContain(marker);
    expect(logged).not.toContain(client.secret);
    expect(logged).not.toContain('eyJ'); // no token (a JWT starts with a base64url `{"`)
  });

  it('counts answers by outcome and OAuth2 error', async () => {
    const text = await (await fetch(`${world.gateway.url}/metrics`)).text();
    expect(text).toMatch(/gateway_token_requests_total\{outcome="issued",error="none"\} [1-9]/);
    expect(text).toMatch(
      /gateway_token_requests_total\{outcome="error",error="invalid_client"\} [1-9]/,
    );
    expect(text).toMatch(
      /gateway_token_requests_total\{outcome="error",error="temporarily_unavailable"\} [1-9]/,
    );
  });
});
