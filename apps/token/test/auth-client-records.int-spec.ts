import { AuditEvents, type AuthClientEvent } from '@loyalty-edge/audit-contracts';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { ensureStream, EventPublisher, kvGet, openBucket } from '@loyalty-edge/nats';
import { TokenRpc, type AuthClientRecord } from '@loyalty-edge/token-contracts';
import type { KV } from '@nats-io/kv';
import { ClientPruneJob } from '../src/auth-clients/client-prune.job.js';
import { actor, auditMessages, newClient, sql, tokenTest } from './support/token-env.js';

const test = tokenTest({ TOKEN_VALIDITY_SECONDS: '300' });
let records: KV;

beforeAll(async () => {
  // the audit service owns the stream; here the test stands in for it
  await ensureStream(await test.connect(), STREAMS.audit);
  await test.start();
  records = await openBucket(test.link, KV_BUCKETS.authClients);
});

afterAll(() => test.close());

const record = (clientId: string): Promise<AuthClientRecord | undefined> =>
  kvGet<AuthClientRecord>(records, clientId);

describe('auth client records and events', () => {
  it('revokes for good and idempotently, with one KV change and one audit event', async () => {
    const created = await test.rpc.request(
      TokenRpc.createClient,
      newClient('ws-rev', { source: 'api' }),
    );
    const revoke = {
      workspaceId: 'ws-rev',
      clientId: created.clientId,
      actor: { type: 'token' as const, id: 'tok-9' },
      source: 'api' as const,
      requestId: 'req-revoke',
    };
    const revoked = await test.rpc.request(TokenRpc.revokeClient, revoke);
    expect(revoked).toMatchObject({ status: 'revoked', revokedBy: 'tok-9' });
    expect(revoked.revokedAt).not.toBeNull();
    const kvRecord = await records.get(created.clientId);
    expect(await record(created.clientId)).toEqual({
      workspaceId: 'ws-rev',
      status: 'revoked',
      expiresAt: created.expiresAt,
      revokedAt: revoked.revokedAt,
    });
    const again = await test.rpc.request(TokenRpc.revokeClient, {
      ...revoke,
      requestId: 'req-again',
    });
    expect(again).toEqual(revoked);
    expect((await records.get(created.clientId))?.revision).toBe(kvRecord?.revision);

    // everything the service published is stored once its publisher is flushed
    await test.service.app.get(EventPublisher).flush();
    const events = (
      await auditMessages<AuthClientEvent>(test.link, AuditEvents.authClient.subject)
    ).filter((event) => event.clientId === created.clientId);
    expect(events.map((event) => event.action)).toEqual(['created', 'revoked']);
    expect(events[0]).toMatchObject({
      workspaceId: 'ws-rev',
      clientName: 'Checkout',
      actor,
      source: 'api',
      requestId: 'req-1',
    });
    expect(events[1]).toMatchObject({
      actor: { type: 'token', id: 'tok-9' },
      source: 'api',
      requestId: 'req-revoke',
    });
    expect(JSON.stringify(events)).not.toContain(created.clientSecret.slice(5));
    expect(JSON.stringify(events)).not.toContain('lecs_');
  });

  it('prunes the records of clients no token of which can still be valid', async () => {
    const revokedLongAgo = await test.rpc.request(TokenRpc.createClient, newClient('ws-prune'));
    await test.rpc.request(TokenRpc.revokeClient, {
      workspaceId: 'ws-prune',
      clientId: revokedLongAgo.clientId,
      actor,
      source: 'ui',
    });
    const revokedRecently = await test.rpc.request(TokenRpc.createClient, newClient('ws-prune'));
    await test.rpc.request(TokenRpc.revokeClient, {
      workspaceId: 'ws-prune',
      clientId: revokedRecently.clientId,
      actor,
      source: 'ui',
    });
    const expiredLongAgo = await test.rpc.request(TokenRpc.createClient, newClient('ws-prune2'));
    const active = await test.rpc.request(TokenRpc.createClient, newClient('ws-prune2'));
    // validity 300 s: prunable 360 s after revocation or expiry
    await sql(
      test,
      `UPDATE $schema.auth_clients SET revoked_at = now() - interval '361 seconds' WHERE client_id = $1`,
      [revokedLongAgo.clientId],
    );
    await sql(
      test,
      `UPDATE $schema.auth_clients SET revoked_at = now() - interval '300 seconds' WHERE client_id = $1`,
      [revokedRecently.clientId],
    );
    await sql(
      test,
      `UPDATE $schema.auth_clients SET expires_at = now() - interval '361 seconds' WHERE client_id = $1`,
      [expiredLongAgo.clientId],
    );

    expect(await test.service.app.get(ClientPruneJob).prune()).toBe(2);
    expect(await record(revokedLongAgo.clientId)).toBeUndefined();
    expect(await record(expiredLongAgo.clientId)).toBeUndefined();
    expect(await record(revokedRecently.clientId)).toMatchObject({ status: 'revoked' });
    expect(await record(active.clientId)).toMatchObject({ status: 'active' });
    const pruned = await sql<{ client_id: string }>(
      test,
      'SELECT client_id FROM $schema.auth_clients WHERE pruned_at IS NOT NULL',
    );
    expect(pruned.map((row) => row.client_id).sort()).toEqual(
      [revokedLongAgo.clientId, expiredLongAgo.clientId].sort(),
    );
    expect(await test.service.app.get(ClientPruneJob).prune()).toBe(0);
    // the views still show them
    expect(
      await test.rpc.request(TokenRpc.getClient, {
        workspaceId: 'ws-prune2',
        clientId: expiredLongAgo.clientId,
      }),
    ).toMatchObject({ status: 'expired' });
  });

  it('repairs at start a record lost from the bucket; pruned ones stay out', async () => {
    const created = await test.rpc.request(TokenRpc.createClient, newClient('ws-repub'));
    await records.delete(created.clientId);
    const second = await test.start();
    try {
      expect(await record(created.clientId)).toMatchObject({ status: 'active' });
      const pruned = await sql<{ client_id: string }>(
        test,
        'SELECT client_id FROM $schema.auth_clients WHERE pruned_at IS NOT NULL',
      );
      for (const row of pruned) expect(await record(row.client_id)).toBeUndefined();
    } finally {
      await test.stop(second);
    }
  });
});
