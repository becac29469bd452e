import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { CredentialsRpc, type ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { AppError } from '@loyalty-edge/errors';
import { kvGet, openBucket } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { credentialsApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const test = new ServiceTest(loadConfig, credentialsApp, {
  CREDENTIALS_KEK: `k1:${randomBytes(32).toString('base64')}`,
});
const actor = { type: 'admin' as const, id: 'admin-1', email: 'admin@example.com' };

beforeAll(() => test.open());
afterAll(() => test.close());

describe('credentials service', () => {
  it('generates a pair once, publishes the public record, and regenerating deactivates the old key', async () => {
    const first = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-a', actor });
    expect(first.apiKey).toMatch(/^lek_[A-Za-z0-9_-]{24}$/);
    expect(first.apiSecret).toMatch(/^les_[A-Za-z0-9_-]{43}$/);
    const bucket = await openBucket(test.link, KV_BUCKETS.apiKeys);
    expect(await kvGet<ApiKeyRecord>(bucket, first.apiKey)).toEqual({
      workspaceId: 'ws-a',
      status: 'active',
      version: 1,
    });

    const second = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-a', actor });
    expect(second.version).toBe(2);
    expect(await kvGet<ApiKeyRecord>(bucket, first.apiKey)).toMatchObject({ status: 'inactive' });
    const active = await test.rpc.request(CredentialsRpc.getActive, { workspaceId: 'ws-a' });
    expect(active).toMatchObject({
      apiKey: second.apiKey,
      status: 'active',
      createdBy: 'admin@example.com',
    });
    expect(active).not.toHaveProperty('apiSecret');
  });

  it('stores secrets only sealed', async () => {
    const pair = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-b', actor });
    const client = new pg.Client({ connectionString: test.env.DATABASE_URL });
    await client.connect();
    const { rows } = await client.query<Record<string, unknown>>(
      `SELECT * FROM "${test.prefix}_credentials".api_keys WHERE api_key = $1`,
      [pair.apiKey],
    );
    await client.end();
    expect(JSON.stringify(rows)).not.toContain(pair.apiSecret.slice(4));
    expect(Buffer.from(rows[0]?.secret_ciphertext as Buffer).toString('latin1')).not.toContain(
      pair.apiSecret.slice(4),
    );
  });

  it('resolves the secret of an active key only', async () => {
    const old = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-c', actor });
    expect(await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: old.apiKey })).toEqual({
      workspaceId: 'ws-c',
      secret: old.apiSecret,
    });
    await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-c', actor });
    expect(await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: old.apiKey })).toBeNull();
  });

  it('keeps the old key working through an overlap, then ends it; a later regeneration ends it at once', async () => {
    const bucket = await openBucket(test.link, KV_BUCKETS.apiKeys);
    const old = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-o', actor });
    const before = Date.now();
    const next = await test.rpc.request(CredentialsRpc.generate, {
      workspaceId: 'ws-o',
      actor,
      overlapSeconds: 3600,
    });
    expect(next.previous?.apiKey).toBe(old.apiKey);
    const until = Date.parse(next.previous?.validUntil ?? '');
    expect(until).toBeGreaterThanOrEqual(before + 3_600_000 - 1000);
    expect(until).toBeLessThanOrEqual(Date.now() + 3_600_000);
    // the gateway's record says until when the inactive key is still admitted
    expect(await kvGet<ApiKeyRecord>(bucket, old.apiKey)).toEqual({
      workspaceId: 'ws-o',
      status: 'inactive',
      version: 1,
      validUntil: next.previous?.validUntil,
    });
    expect(await test.rpc.request(CredentialsRpc.getActive, { workspaceId: 'ws-o' })).toMatchObject(
      {
        apiKey: next.apiKey,
        previous: { apiKey: old.apiKey, validUntil: next.previous?.validUntil },
      },
    );
    // it still signs during the overlap
    expect(await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: old.apiKey })).toEqual({
      workspaceId: 'ws-o',
      secret: old.apiSecret,
    });

    const third = await test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-o', actor });
    expect(third.previous).toBeUndefined();
    expect(await kvGet<ApiKeyRecord>(bucket, old.apiKey)).toEqual({
      workspaceId: 'ws-o',
      status: 'inactive',
      version: 1,
    });
    expect(await kvGet<ApiKeyRecord>(bucket, next.apiKey)).toEqual({
      workspaceId: 'ws-o',
      status: 'inactive',
      version: 2,
    });
    expect(await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: old.apiKey })).toBeNull();
    expect(
      await test.rpc.request(CredentialsRpc.resolveSecret, { apiKey: next.apiKey }),
    ).toBeNull();
  });

  it('refuses an overlap past 24 hours', async () => {
    await expect(
      test.rpc.request(CredentialsRpc.generate, {
        workspaceId: 'ws-o',
        actor,
        overlapSeconds: 86_401,
      }),
    ).rejects.toMatchObject({ kind: 'invalid' });
  });

  it('keeps one active key when regenerations race', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4].map(() =>
        test.rpc.request(CredentialsRpc.generate, { workspaceId: 'ws-race', actor }),
      ),
    );
    expect(new Set(results.map((r) => r.version)).size).toBe(4);
    const active = await test.rpc.request(CredentialsRpc.getActive, { workspaceId: 'ws-race' });
    expect(active?.version).toBe(4);
  });

  it('refuses bad input with every bad field listed', async () => {
    const error = await test.rpc
      .request(CredentialsRpc.generate, {
        workspaceId: '',
        actor: { type: 'robot', id: '' },
      } as never)
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).kind).toBe('invalid');
    const fields = (error as AppError).details?.fields?.map((f) => f.field);
    expect(fields).toEqual(expect.arrayContaining(['workspaceId', 'actor.type', 'actor.id']));
  });

  it('serves health, readiness and metrics', async () => {
    expect((await fetch(`${test.service.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${test.service.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { nats: true, database: true, kv_outbox: true },
    });
    const metrics = await (await fetch(`${test.service.url}/metrics`)).text();
    expect(metrics).toContain(
      'credentials_rpc_duration_seconds_count{subject="credentials.api-key.generate",outcome="ok"}',
    );
    expect(metrics).toContain('credentials_kv_outbox_depth{bucket="api_keys"} 0');
    expect(metrics).toContain('credentials_kv_outbox_oldest_pending_seconds{bucket="api_keys"} 0');
    expect(metrics).toMatch(/credentials_kv_outbox_published_total\{bucket="api_keys"\} [1-9]/);
    expect(metrics).toContain('credentials_kv_outbox_publish_failures_total');
  });
});
