import { Logger } from '@nestjs/common';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { STREAMS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { ensureStream } from '@loyalty-edge/nats';
import { JsonLogger } from '@loyalty-edge/observability';
import type { RunningService } from '@loyalty-edge/runtime';
import {
  TokenErrorCodes,
  TokenRpc,
  type CreatedAuthClient,
  type IssueRequest,
} from '@loyalty-edge/token-contracts';
import { AuthClientsService } from '../src/auth-clients/auth-clients.service.js';
import { ClientCache } from '../src/auth-clients/client-cache.js';
import { IssuanceService } from '../src/issuance/issuance.service.js';
import { actor, AUDIENCE, inSeconds, newClient, SCOPES, tokenTest } from './support/token-env.js';

const test = tokenTest({ TOKEN_VALIDITY_SECONDS: '600' });
/** Two replicas of the token service. */
let a: RunningService;
let b: RunningService;

beforeAll(async () => {
  await ensureStream(await test.connect(), STREAMS.audit);
  a = await test.start();
  b = await test.start();
});

afterAll(() => test.close());

const issueOn = (service: RunningService, request: IssueRequest) =>
  service.app.get(IssuanceService).issue(request);

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const credentials = (client: CreatedAuthClient) => ({
  clientId: client.clientId,
  clientSecret: client.clientSecret,
});

describe('access token issuance', () => {
  it('issues an ES256 access token that verifies against the JWKS', async () => {
    const client = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-jwt', { scopes: ['loyalty.async_events'] }),
    );
    const issued = await test.rpc.request(TokenRpc.issue, {
      ...credentials(client),
      requestId: 'r1',
    });
    expect(issued).toMatchObject({
      expiresIn: 600,
      scope: 'loyalty.async_events',
      audience: AUDIENCE,
      workspaceId: 'ws-jwt',
      clientId: client.clientId,
    });
    const jwks = await test.rpc.request(TokenRpc.jwks, {});
    expect(jwks.keys).toHaveLength(1);
    const header = decodeProtectedHeader(issued.accessToken);
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: jwks.keys[0]?.kid });
    const { payload, protectedHeader } = await jwtVerify(
      issued.accessToken,
      createLocalJWKSet({ keys: [...jwks.keys] }),
      {
        issuer: 'https://gw.example.com',
        audience: AUDIENCE,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      },
    );
    expect(protectedHeader.kid).toBe(jwks.keys[0]?.kid);
    expect(Object.keys(payload).sort()).toEqual(
      [
        'aud',
        'client_id',
        'exp',
        'iat',
        'iss',
        'jti',
        'nbf',
        'scope',
        'sub',
        'workspace_id',
      ].sort(),
    );
    expect(payload).toMatchObject({
      iss: 'https://gw.example.com',
      sub: client.clientId,
      aud: AUDIENCE,
      client_id: client.clientId,
      scope: 'loyalty.async_events',
      workspace_id: 'ws-jwt',
      jti: issued.jti,
    });
    const { iat = 0, nbf, exp = 0 } = payload;
    expect(Math.abs(iat - Date.now() / 1000)).toBeLessThan(5);
    expect(nbf).toBe(iat);
    expect(exp - iat).toBe(600);
    const again = await test.rpc.request(TokenRpc.issue, credentials(client));
    expect(again.jti).not.toBe(issued.jti);
  });

  it('grants all of the client’s scopes by default, or the ones asked for', async () => {
    const client = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-scope', { scopes: SCOPES }),
    );
    expect((await test.rpc.request(TokenRpc.issue, credentials(client))).scope).toBe(
      SCOPES.join(' '),
    );
    const one = await test.rpc.request(TokenRpc.issue, {
      ...credentials(client),
      scope: 'loyalty.other',
    });
    expect(one.scope).toBe('loyalty.other');
    const narrow = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-scope', { scopes: ['loyalty.async_events'] }),
    );
    const error = await refusal(
      test.rpc.request(TokenRpc.issue, { ...credentials(narrow), scope: 'loyalty.other' }),
    );
    expect(error).toMatchObject({
      kind: 'invalid',
      code: TokenErrorCodes.invalidScope,
      message: 'The requested scope is not allowed for this client',
    });
    for (const scope of ['', 'loyalty.async_events  loyalty.other', 'a"b']) {
      const malformed = await refusal(
        test.rpc.request(TokenRpc.issue, { ...credentials(client), scope }),
      );
      expect(malformed).toMatchObject({ kind: 'invalid', code: TokenErrorCodes.invalidRequest });
    }
  });

  it('refuses a wrong secret, an unknown id, a revoked and an expired client alike', async () => {
    const client = await test.rpc.request(TokenRpc.createClient, newClient('ws-auth'));
    const revoked = await test.rpc.request(TokenRpc.createClient, newClient('ws-auth'));
    await test.rpc.request(TokenRpc.revokeClient, {
      workspaceId: 'ws-auth',
      clientId: revoked.clientId,
      actor,
      source: 'ui',
    });
    const expiring = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-auth', { expiresAt: inSeconds(1) }),
    );
    await test.rpc.request(TokenRpc.issue, credentials(expiring));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const wrongSecret = `lecs_${'A'.repeat(43)}`;
    const attempts: IssueRequest[] = [
      { clientId: client.clientId, clientSecret: wrongSecret },
      { clientId: client.clientId, clientSecret: '' },
      { clientId: 'lec_AAAAAAAAAAAAAAAAAAAAAAAA', clientSecret: client.clientSecret },
      { clientId: client.clientSecret, clientSecret: client.clientSecret },
      credentials(revoked),
      credentials(expiring),
    ];
    for (const attempt of attempts) {
      const error = await refusal(test.rpc.request(TokenRpc.issue, attempt));
      expect(error).toMatchObject({
        kind: 'unauthenticated',
        code: TokenErrorCodes.invalidClient,
        message: 'Client authentication failed',
      });
      expect(JSON.stringify(error)).not.toContain(attempt.clientSecret || 'lecs_');
    }
  });

  it('logs why a client failed at debug level only, never the secret', async () => {
    const client = await test.rpc.request(TokenRpc.createClient, newClient('ws-log'));
    const lines: string[] = [];
    // the services' loggers write through Nest's static logger: capture it at debug level
    Logger.overrideLogger(new JsonLogger('token', 'debug', (line) => lines.push(line)));
    try {
      await refusal(
        issueOn(a, { clientId: client.clientId, clientSecret: `${client.clientSecret}x` }),
      );
      await refusal(issueOn(a, { clientId: client.clientSecret, clientSecret: 'whatever' }));
    } finally {
      Logger.overrideLogger(b.deps.logger);
    }
    const entries = lines
      .filter((line) => line.includes('client authentication failed'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toEqual([
      expect.objectContaining({
        level: 'debug',
        reason: 'wrong_secret',
        clientId: client.clientId,
      }),
      expect.objectContaining({ level: 'debug', reason: 'malformed_client_id' }),
    ]);
    expect(lines.join('')).not.toContain(client.clientSecret.slice(5));
  });

  it('issues from memory in steady state: no query per token', async () => {
    const client = await test.rpc.request(TokenRpc.createClient, newClient('ws-hot'));
    const cache = a.app.get(ClientCache);
    await issueOn(a, credentials(client));
    const before = cache.databaseReads;
    const started = performance.now();
    const tokens = await Promise.all(
      Array.from({ length: 500 }, () => issueOn(a, credentials(client))),
    );
    const ms = performance.now() - started;
    expect(new Set(tokens.map((token) => token.jti)).size).toBe(500);
    expect(cache.databaseReads).toBe(before);
    process.stdout.write(`500 tokens on one replica: ${ms.toFixed(0)} ms, 0 queries\n`);
  });

  it('shares one query among concurrent misses of one client', async () => {
    const client = await test.rpc.request(TokenRpc.createClient, newClient('ws-miss'));
    const cache = b.app.get(ClientCache);
    const before = cache.databaseReads;
    await Promise.all(Array.from({ length: 20 }, () => issueOn(b, credentials(client))));
    expect(cache.databaseReads - before).toBeLessThanOrEqual(1);
  });

  it('stops issuance on another replica within a second of a revoke, without a query', async () => {
    const client = await test.rpc.request(TokenRpc.createClient, newClient('ws-revoke'));
    // both replicas hold the client in memory
    await issueOn(a, credentials(client));
    await issueOn(b, credentials(client));
    const cacheB = b.app.get(ClientCache);
    const readsBefore = cacheB.databaseReads;

    await a.app.get(AuthClientsService).revoke({
      workspaceId: 'ws-revoke',
      clientId: client.clientId,
      actor,
      source: 'ui',
    });
    const revokedAt = performance.now();
    await refusal(issueOn(a, credentials(client)));
    let refusedOnB = false;
    while (!refusedOnB && performance.now() - revokedAt < 1000) {
      refusedOnB = await issueOn(b, credentials(client)).then(
        () => false,
        (error: unknown) =>
          error instanceof AppError && error.code === TokenErrorCodes.invalidClient,
      );
      if (!refusedOnB) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const ms = performance.now() - revokedAt;
    process.stdout.write(`revoke reached the other token replica in ${ms.toFixed(1)} ms\n`);
    expect(refusedOnB).toBe(true);
    expect(ms).toBeLessThan(1000);
    expect(cacheB.databaseReads).toBe(readsBefore);
  });
});
