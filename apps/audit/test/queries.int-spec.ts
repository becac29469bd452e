import {
  AuditErrorCodes,
  AuditRpc,
  type ChangeEvent,
  type Page,
} from '@loyalty-edge/audit-contracts';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import {
  calls,
  clients,
  DATASET_ROWS,
  newestFirst,
  publishDataset,
  start,
  tokens,
  wsA,
  wsB,
} from './query-dataset.js';
import { eventually, minutesAgo, refusal, withDb } from './support.js';

const prefix = uniquePrefix();
const env = serviceEnv(prefix);
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;

beforeAll(async () => {
  service = await runService(auditApp(loadConfig(env)));
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  rpc = new RpcClient(link);
  await publishDataset(new EventPublisher(link));
  await eventually(() =>
    withDb(env.DATABASE_URL ?? '', async (db) => {
      const { rows } = await db.query<{ n: string }>(
        `SELECT (SELECT count(*) FROM "${prefix}_audit".changes)
              + (SELECT count(*) FROM "${prefix}_audit".failed_calls)
              + (SELECT count(*) FROM "${prefix}_audit".auth_client_events)
              + (SELECT count(*) FROM "${prefix}_audit".token_events)
              + (SELECT count(*) FROM "${prefix}_audit".client_ip_events) AS n`,
      );
      expect(Number(rows[0]?.n)).toBe(DATASET_ROWS);
    }),
  );
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('audit queries', () => {
  it('lists changes newest first, filtered by action, actor and time', async () => {
    const all = await rpc.request(AuditRpc.changes, { workspaceId: 'ws-a', limit: 200 });
    expect(all.items.map((c) => c.id)).toEqual([...wsA].sort(newestFirst).map((c) => c.id));
    expect(all.items[0]).toEqual([...wsA].sort(newestFirst)[0]);
    expect(all.nextCursor).toBeNull();

    const generated = await rpc.request(AuditRpc.changes, {
      workspaceId: 'ws-a',
      limit: 200,
      filters: { action: 'credentials.generated' },
    });
    expect(generated.items).toHaveLength(12);
    const byOps = await rpc.request(AuditRpc.changes, {
      workspaceId: 'ws-a',
      limit: 200,
      filters: { actor: 'ops@example.com' },
    });
    expect(byOps.items.map((c) => c.actor.id)).toEqual(Array(9).fill('admin-2'));
    const window = await rpc.request(AuditRpc.changes, {
      workspaceId: 'ws-a',
      from: minutesAgo(-2, start),
      to: minutesAgo(-4, start),
    });
    expect(window.items).toHaveLength(4);
  });

  it('pages through changes with no duplicates or gaps, also with a filter', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page: Page<ChangeEvent> = await rpc.request(AuditRpc.changes, {
        workspaceId: 'ws-a',
        limit: 10,
        ...(cursor === null ? {} : { cursor }),
      });
      sizes.push(page.items.length);
      seen.push(...page.items.map((c) => c.id));
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(sizes).toEqual([10, 10, 5]);
    expect(seen).toEqual([...wsA].sort(newestFirst).map((c) => c.id));

    const first = await rpc.request(AuditRpc.changes, {
      workspaceId: 'ws-a',
      limit: 7,
      filters: { action: 'ip-filter.updated' },
    });
    const second = await rpc.request(AuditRpc.changes, {
      workspaceId: 'ws-a',
      limit: 7,
      filters: { action: 'ip-filter.updated' },
      cursor: first.nextCursor ?? '',
    });
    expect([...first.items, ...second.items].map((c) => c.id)).toEqual(
      wsA
        .filter((c) => c.action === 'ip-filter.updated')
        .sort(newestFirst)
        .map((c) => c.id),
    );
    expect(second.nextCursor).toBeNull();
  });

  it('refuses a bad cursor as invalid', async () => {
    const error = await refusal(
      rpc.request(AuditRpc.changes, { workspaceId: 'ws-a', cursor: 'not-a-cursor' }),
    );
    expect(error.kind).toBe('invalid');
    expect(error.code).toBe(AuditErrorCodes.invalidCursor);
  });

  it('keeps workspaces apart', async () => {
    const b = await rpc.request(AuditRpc.changes, { workspaceId: 'ws-b' });
    expect(b.items.map((c) => c.id).sort()).toEqual(wsB.map((c) => c.id).sort());
    const none = await rpc.request(AuditRpc.failedCalls, { workspaceId: 'ws-b' });
    expect(none).toEqual({ items: [], nextCursor: null });
    const other = await rpc.request(AuditRpc.failedCall, {
      workspaceId: 'ws-b',
      id: calls[0]?.id ?? '',
    });
    expect(other).toBeNull();
  });

  it('lists failed calls without bodies, filtered by status, api, reason and method', async () => {
    const all = await rpc.request(AuditRpc.failedCalls, { workspaceId: 'ws-a' });
    expect(all.items.map((c) => c.status)).toEqual([502, 403, 401]);
    expect(all.items[2]).toEqual({
      id: calls[0]?.id,
      at: calls[0]?.at,
      api: 'events',
      method: 'POST',
      url: '/events',
      status: 401,
      reason: 'signature_mismatch',
      clientIp: '203.0.113.7',
      requestId: calls[0]?.requestId,
    });
    const list = (filters: Record<string, string>) =>
      rpc
        .request(AuditRpc.failedCalls, { workspaceId: 'ws-a', filters })
        .then((page) => page.items.map((c) => c.status));
    expect(await list({ status: '4xx' })).toEqual([403, 401]);
    expect(await list({ status: '502' })).toEqual([502]);
    expect(await list({ api: 'customer' })).toEqual([403]);
    expect(await list({ reason: 'signature_mismatch' })).toEqual([401]);
    expect(await list({ method: 'get' })).toEqual([403]);
    const error = await refusal(list({ outcome: 'error' }));
    expect(error.code).toBe(AuditErrorCodes.invalidFilter);
    expect(error.details?.fields?.[0]?.field).toBe('filters.outcome');
  });

  it('gets one failed call with request and response, scoped to its workspace', async () => {
    const call = await rpc.request(AuditRpc.failedCall, {
      workspaceId: 'ws-a',
      id: calls[0]?.id ?? '',
    });
    expect(call).toEqual(calls[0]);
    expect(await rpc.request(AuditRpc.failedCall, { workspaceId: 'ws-a', id: 'nope' })).toBeNull();
    const error = await refusal(rpc.request(AuditRpc.failedCall, { workspaceId: 'ws-a' } as never));
    expect(error.kind).toBe('invalid');
    expect(error.details?.fields?.map((f) => f.field)).toContain('id');
  });

  it('lists auth-client events, filtered by action and client id', async () => {
    const all = await rpc.request(AuditRpc.authClients, { workspaceId: 'ws-a' });
    expect(all.items).toHaveLength(3);
    const revoked = await rpc.request(AuditRpc.authClients, {
      workspaceId: 'ws-a',
      filters: { action: 'revoked' },
    });
    expect(revoked.items).toEqual([clients[1]]);
    const second = await rpc.request(AuditRpc.authClients, {
      workspaceId: 'ws-a',
      filters: { clientId: 'client-2' },
    });
    expect(second.items.map((e) => e.id)).toEqual([clients[2]?.id]);
    const error = await refusal(
      rpc.request(AuditRpc.authClients, { workspaceId: 'ws-a', limit: 500 }),
    );
    expect(error.kind).toBe('invalid');
    expect(error.details?.fields?.map((f) => f.field)).toEqual(['limit']);
  });

  it('lists token events, filtered by outcome and client id', async () => {
    const all = await rpc.request(AuditRpc.tokens, { workspaceId: 'ws-a' });
    expect(all.items).toEqual([tokens[1], tokens[0]]);
    const errors = await rpc.request(AuditRpc.tokens, {
      workspaceId: 'ws-a',
      filters: { outcome: 'error', clientId: 'client-1' },
    });
    expect(errors.items.map((t) => t.errorCode)).toEqual([220010]);
    const error = await refusal(
      rpc.request(AuditRpc.tokens, { workspaceId: 'ws-a', filters: { outcome: 'maybe' } }),
    );
    expect(error.code).toBe(AuditErrorCodes.invalidFilter);
  });

  it('sums requests per client IP of one API over the last N days', async () => {
    const today = await rpc.request(AuditRpc.clientIps, {
      workspaceId: 'ws-a',
      api: 'events',
      days: 1,
    });
    expect(today).toEqual([
      { ip: '10.0.0.1', requests: 7 },
      { ip: '10.0.0.2', requests: 1 },
    ]);
    const month = await rpc.request(AuditRpc.clientIps, {
      workspaceId: 'ws-a',
      api: 'events',
      days: 30,
    });
    expect(month).toContainEqual({ ip: '10.0.0.3', requests: 4 });
    expect(month.map((c) => c.ip)).not.toContain('10.9.9.9');
    expect(
      await rpc.request(AuditRpc.clientIps, { workspaceId: 'ws-a', api: 'customer', days: 30 }),
    ).toEqual([]);
    const error = await refusal(
      rpc.request(AuditRpc.clientIps, { workspaceId: 'ws-a', api: 'events', days: 91 }),
    );
    expect(error.details?.fields?.map((f) => f.field)).toEqual(['days']);
  });

  it('serves readiness with the consumer, and its metrics', async () => {
    const ready = await fetch(`${service.url}/readyz`);
    expect(await ready.json()).toEqual({
      status: 'ready',
      checks: { nats: true, database: true, consumer: true },
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toContain('audit_events_written_total{type="change"} 27');
    expect(metrics).toContain('audit_batch_size_bucket');
    expect(metrics).toContain('audit_consumer_pending_messages 0');
    expect(metrics).toContain(
      'audit_rpc_duration_seconds_count{subject="audit.changes.list",outcome="ok"}',
    );
    expect(metrics).not.toContain('ws-a');
  });
});
