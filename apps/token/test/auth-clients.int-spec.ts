import { createHmac, hkdfSync } from 'node:crypto';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { ensureStream, kvGet, openBucket } from '@loyalty-edge/nats';
import {
  AUTH_CLIENT_ID,
  TokenErrorCodes,
  TokenRpc,
  type AuthClientRecord,
} from '@loyalty-edge/token-contracts';
import type { KV } from '@nats-io/kv';
import { actor, AUDIENCE, inSeconds, newClient, sql, tokenTest } from './support/token-env.js';

const test = tokenTest({ TOKEN_MAX_ACTIVE_CLIENTS: '2', TOKEN_VALIDITY_SECONDS: '300' });
let records: KV;

beforeAll(async () => {
  // the audit service owns the stream; here the test stands in for it
  await ensureStream(await test.connect(), STREAMS.audit);
  await test.start();
  records = await openBucket(test.link, KV_BUCKETS.authClients);
});

afterAll(() => test.close());

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const record = (clientId: string): Promise<AuthClientRecord | undefined> =>
  kvGet<AuthClientRecord>(records, clientId);

describe('auth clients', () => {
  it('answers the options of the environment', async () => {
    expect(await test.rpc.request(TokenRpc.options, {})).toEqual({
      issuer: 'https://gw.example.com',
      tokenValiditySeconds: 300,
      scopes: ['loyalty.async_events', 'loyalty.other'],
      audiences: [AUDIENCE, 'loyalty-api'],
      maxExpiryDays: 730,
    });
  });

  it('creates a client with a secret shown once, and publishes its record', async () => {
    const created = await test.rpc.request(TokenRpc.createClient, newClient('ws-a'));
    expect(created.clientId).toMatch(AUTH_CLIENT_ID);
    expect(created.clientSecret).toMatch(/^lecs_[A-Za-z0-9_-]{43}$/);
    expect(created).toMatchObject({
      workspaceId: 'ws-a',
      name: 'Checkout',
      scopes: ['loyalty.async_events'],
      audience: AUDIENCE,
      issuer: 'https://gw.example.com',
      tokenValiditySeconds: 300,
      status: 'active',
      createdBy: 'admin@example.com',
      createdVia: 'ui',
      revokedAt: null,
      revokedBy: null,
    });
    expect(await record(created.clientId)).toEqual({
      workspaceId: 'ws-a',
      status: 'active',
      expiresAt: created.expiresAt,
      revokedAt: null,
    });
    const view = await test.rpc.request(TokenRpc.getClient, {
      workspaceId: 'ws-a',
      clientId: created.clientId,
    });
    expect(view).toEqual({ ...created, clientSecret: undefined, status: 'active' });
    expect(view).not.toHaveProperty('clientSecret');
  });

  it('stores the secret only as its HMAC under the derived key', async () => {
    const created = await test.rpc.request(TokenRpc.createClient, newClient('ws-hash'));
    const rows = await sql(test, 'SELECT * FROM $schema.auth_clients WHERE client_id = $1', [
      created.clientId,
    ]);
    expect(rows).toHaveLength(1);
    const body = created.clientSecret.slice('lecs_'.length);
    expect(JSON.stringify(rows)).not.toContain(body);
    const stored = rows[0]?.secret_hash as Buffer;
    expect(stored.toString('latin1')).not.toContain(body);
    const hashKey = Buffer.from(
      hkdfSync(
        'sha256',
        Buffer.from(test.env.TOKEN_KEY_ENCRYPTION_KEY ?? '', 'base64'),
        Buffer.alloc(0),
        'loyalty-edge auth-client secret hash',
        32,
      ),
    );
    expect(stored).toEqual(createHmac('sha256', hashKey).update(created.clientSecret).digest());
  });

  it('lists a workspace’s clients newest first, and shows nothing of another workspace', async () => {
    const first = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-list', { name: 'one' }),
    );
    const second = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-list', { name: 'two' }),
    );
    const list = await test.rpc.request(TokenRpc.listClients, { workspaceId: 'ws-list' });
    expect(list.map((client) => client.clientId)).toEqual([second.clientId, first.clientId]);
    expect(JSON.stringify(list)).not.toContain('lecs_');
    expect(await test.rpc.request(TokenRpc.listClients, { workspaceId: 'ws-none' })).toEqual([]);
    expect(
      await test.rpc.request(TokenRpc.getClient, {
        workspaceId: 'ws-other',
        clientId: first.clientId,
      }),
    ).toBeNull();
  });

  it('refuses a bad client with every bad field listed', async () => {
    const error = await failure(
      test.rpc.request(
        TokenRpc.createClient,
        newClient('ws-bad', {
          name: '',
          purpose: 'p'.repeat(501),
          expiresAt: inSeconds(-60),
          scopes: ['loyalty.admin'],
          audience: 'https://elsewhere.example.com',
        }),
      ),
    );
    expect(error).toMatchObject({ kind: 'invalid', code: 100400 });
    expect(error.details?.fields?.map((field) => field.field)).toEqual([
      'name',
      'purpose',
      'expiresAt',
      'scopes[0]',
      'audience',
    ]);
    const tooLate = await failure(
      test.rpc.request(
        TokenRpc.createClient,
        newClient('ws-bad', { expiresAt: inSeconds(731 * 86_400) }),
      ),
    );
    expect(tooLate.details?.fields).toEqual([
      { field: 'expiresAt', message: 'must be at most 730 days ahead' },
    ]);
    const shape = await failure(
      test.rpc.request(TokenRpc.createClient, {
        ...newClient('ws-bad'),
        actor: { type: 'robot', id: '' },
        source: 'cli',
      } as never),
    );
    expect(shape.details?.fields?.map((field) => field.field)).toEqual(
      expect.arrayContaining(['actor.type', 'actor.id', 'source']),
    );
    expect(await test.rpc.request(TokenRpc.listClients, { workspaceId: 'ws-bad' })).toEqual([]);
  });

  it('refuses more active clients than allowed; revoked ones do not count', async () => {
    const one = await test.rpc.request(TokenRpc.createClient, newClient('ws-limit'));
    await test.rpc.request(TokenRpc.createClient, newClient('ws-limit'));
    const error = await failure(test.rpc.request(TokenRpc.createClient, newClient('ws-limit')));
    expect(error).toMatchObject({ kind: 'conflict', code: TokenErrorCodes.tooManyClients });
    await test.rpc.request(TokenRpc.revokeClient, {
      workspaceId: 'ws-limit',
      clientId: one.clientId,
      actor,
      source: 'ui',
    });
    await expect(
      test.rpc.request(TokenRpc.createClient, newClient('ws-limit')),
    ).resolves.toMatchObject({
      status: 'active',
    });
  });

  it('refuses to revoke another workspace’s client or an unknown one', async () => {
    const created = await test.rpc.request(TokenRpc.createClient, newClient('ws-own'));
    for (const [workspaceId, clientId] of [
      ['ws-thief', created.clientId],
      ['ws-own', 'lec_AAAAAAAAAAAAAAAAAAAAAAAA'],
      ['ws-own', 'not-a-client-id'],
    ] as const) {
      const error = await failure(
        test.rpc.request(TokenRpc.revokeClient, { workspaceId, clientId, actor, source: 'ui' }),
      );
      expect(error).toMatchObject({ kind: 'not_found', code: TokenErrorCodes.clientNotFound });
    }
    expect(await record(created.clientId)).toMatchObject({ status: 'active' });
  });
});
