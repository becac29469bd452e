import { createHmac, hkdfSync } from 'node:crypto';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { ensureStream, kvGet, NatsLink, openBucket, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  AUTH_CLIENT_ID,
  TokenErrorCodes,
  TokenRpc,
  type AuthClientRecord,
} from '@loyalty-edge/token-contracts';
import type { KV } from '@nats-io/kv';
import { tokenApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { actor, AUDIENCE, inSeconds, newClient, sql, tokenEnv } from './support/token-env.js';

const prefix = uniquePrefix();
const env = tokenEnv(prefix, { TOKEN_MAX_ACTIVE_CLIENTS: '2', TOKEN_VALIDITY_SECONDS: '300' });
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;
let records: KV;

beforeAll(async () => {
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  // the audit service owns the stream; here the test stands in for it
  await ensureStream(link, STREAMS.audit);
  service = await runService(tokenApp(loadConfig(env)));
  rpc = new RpcClient(link);
  records = await openBucket(link, KV_BUCKETS.authClients);
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.catch((caught: unknown) => caught);
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

const record = (clientId: string): Promise<AuthClientRecord | undefined> =>
  kvGet<AuthClientRecord>(records, clientId);

describe('auth clients', () => {
  it('answers the options of the environment', async () => {
    expect(await rpc.request(TokenRpc.options, {})).toEqual({
      issuer: 'https://gw.example.com',
      tokenValiditySeconds: 300,
      scopes: ['loyalty.async_events', 'loyalty.other'],
      audiences: [AUDIENCE, 'loyalty-api'],
      maxExpiryDays: 730,
    });
  });

  it('creates a client with a secret shown once, and publishes its record', async () => {
    const created = await rpc.request(TokenRpc.createClient, newClient('ws-a'));
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
    const view = await rpc.request(TokenRpc.getClient, {
      workspaceId: 'ws-a',
      clientId: created.clientId,
    });
    expect(view).toEqual({ ...created, clientSecret: undefined, status: 'active' });
    expect(view).not.toHaveProperty('clientSecret');
  });

  it('stores the secret only as its HMAC under the derived key', async () => {
    const created = await rpc.request(TokenRpc.createClient, newClient('ws-hash'));
    const rows = await sql(env, prefix, 'SELECT * FROM $schema.auth_clients WHERE client_id = $1', [
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
        Buffer.from(env.TOKEN_KEY_ENCRYPTION_KEY ?? '', 'base64'),
        Buffer.alloc(0),
        'loyalty-edge auth-client secret hash',
        32,
      ),
    );
    expect(stored).toEqual(createHmac('sha256', hashKey).update(created.clientSecret).digest());
  });

  it('lists a workspace’s clients newest first, and shows nothing of another workspace', async () => {
    const first = await rpc.request(TokenRpc.createClient, newClient('ws-list', { name: 'one' }));
    const second = await rpc.request(TokenRpc.createClient, newClient('ws-list', { name: 'two' }));
    const list = await rpc.request(TokenRpc.listClients, { workspaceId: 'ws-list' });
    expect(list.map((client) => client.clientId)).toEqual([second.clientId, first.clientId]);
    expect(JSON.stringify(list)).not.toContain('lecs_');
    expect(await rpc.request(TokenRpc.listClients, { workspaceId: 'ws-none' })).toEqual([]);
    expect(
      await rpc.request(TokenRpc.getClient, { workspaceId: 'ws-other', clientId: first.clientId }),
    ).toBeNull();
  });

  it('refuses a bad client with every bad field listed', async () => {
    const error = await failure(
      rpc.request(
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
      rpc.request(
        TokenRpc.createClient,
        newClient('ws-bad', { expiresAt: inSeconds(731 * 86_400) }),
      ),
    );
    expect(tooLate.details?.fields).toEqual([
      { field: 'expiresAt', message: 'must be at most 730 days ahead' },
    ]);
    const shape = await failure(
      rpc.request(TokenRpc.createClient, {
        ...newClient('ws-bad'),
        actor: { type: 'robot', id: '' },
        source: 'cli',
      } as never),
    );
    expect(shape.details?.fields?.map((field) => field.field)).toEqual(
      expect.arrayContaining(['actor.type', 'actor.id', 'source']),
    );
    expect(await rpc.request(TokenRpc.listClients, { workspaceId: 'ws-bad' })).toEqual([]);
  });

  it('refuses more active clients than allowed; revoked ones do not count', async () => {
    const one = await rpc.request(TokenRpc.createClient, newClient('ws-limit'));
    await rpc.request(TokenRpc.createClient, newClient('ws-limit'));
    const error = await failure(rpc.request(TokenRpc.createClient, newClient('ws-limit')));
    expect(error).toMatchObject({ kind: 'conflict', code: TokenErrorCodes.tooManyClients });
    await rpc.request(TokenRpc.revokeClient, {
      workspaceId: 'ws-limit',
      clientId: one.clientId,
      actor,
      source: 'ui',
    });
    await expect(rpc.request(TokenRpc.createClient, newClient('ws-limit'))).resolves.toMatchObject({
      status: 'active',
    });
  });

  it('refuses to revoke another workspace’s client or an unknown one', async () => {
    const created = await rpc.request(TokenRpc.createClient, newClient('ws-own'));
    for (const [workspaceId, clientId] of [
      ['ws-thief', created.clientId],
      ['ws-own', 'lec_AAAAAAAAAAAAAAAAAAAAAAAA'],
      ['ws-own', 'not-a-client-id'],
    ] as const) {
      const error = await failure(
        rpc.request(TokenRpc.revokeClient, { workspaceId, clientId, actor, source: 'ui' }),
      );
      expect(error).toMatchObject({ kind: 'not_found', code: TokenErrorCodes.clientNotFound });
    }
    expect(await record(created.clientId)).toMatchObject({ status: 'active' });
  });
});
