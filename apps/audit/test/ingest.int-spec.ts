import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { AuditEvents, AuditRpc, type TokenEvent } from '@loyalty-edge/audit-contracts';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { RetentionJob } from '../src/retention/retention.job.js';
import {
  authClient,
  change,
  daysAgo,
  eventually,
  failedCall,
  ipCounts,
  sample,
  tokenEvent,
  withDb,
} from './support.js';

/** Tests wait on redelivery delays and a second replica: longer than jest's default. */
const SLOW = 30_000;
const prefix = uniquePrefix();
const env = serviceEnv(prefix);
const databaseUrl = env.DATABASE_URL ?? '';
const schema = `"${prefix}_audit"`;
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;
let publisher: EventPublisher;

const count = (table: string, where = 'true', params: unknown[] = []): Promise<number> =>
  withDb(databaseUrl, async (db) => {
    const { rows } = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${schema}.${table} WHERE ${where}`,
      params,
    );
    return Number(rows[0]?.n);
  });

/** Resolves once the consumer has nothing undelivered or unacknowledged. */
const settled = (): Promise<void> =>
  eventually(async () => {
    const jsm = await jetstreamManager(link.connection);
    const info = await jsm.consumers.info(`${prefix}_AUDIT`, `${prefix}_audit_writer`);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

const metrics = async (): Promise<string> => (await fetch(`${service.url}/metrics`)).text();

beforeAll(async () => {
  service = await runService(auditApp(loadConfig(env)));
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  rpc = new RpcClient(link);
  publisher = new EventPublisher(link);
});

afterAll(async () => {
  await publisher.close();
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe('audit ingest', () => {
  it(
    'stores a redelivered or republished event once, and adds its IP counts once',
    async () => {
      const event = change({ workspaceId: 'ws-dup' });
      const counts = ipCounts([
        { workspaceId: 'ws-dup', api: 'events', ip: '10.1.1.1', requests: 3 },
      ]);
      // different message ids: the stream's own de-duplication does not catch these
      publisher.publish(AuditEvents.change, event, 'dup-1');
      publisher.publish(AuditEvents.change, event, 'dup-2');
      publisher.publish(AuditEvents.clientIps, counts, 'dup-3');
      publisher.publish(AuditEvents.clientIps, counts, 'dup-4');
      await publisher.flush();
      await settled();
      expect(await count('changes', 'id = $1', [event.id])).toBe(1);
      expect(
        await rpc.request(AuditRpc.clientIps, { workspaceId: 'ws-dup', api: 'events', days: 1 }),
      ).toEqual([{ ip: '10.1.1.1', requests: 3 }]);
    },
    SLOW,
  );

  it(
    'never stores a secret planted in an event',
    async () => {
      const planted = change({
        workspaceId: 'ws-secret',
        after: { name: 'CRM', password: 'hunter2', nested: [{ apiSecret: 'les_planted' }] },
      });
      const call = failedCall({
        workspaceId: 'ws-secret',
        request: {
          method: 'POST',
          url: '/events?api_key=lek_planted&page=2',
          headers: { 'content-type': 'application/json', authorization: 'Bearer eyJ.planted.sig' },
          body: '{"customer":"c1","data":{"password":"hunter2"}}',
        },
        response: {
          status: 400,
          headers: { 'set-cookie': 'sid=planted' },
          body: 'client_secret=planted-secret&ok=1',
        },
      });
      publisher.publish(AuditEvents.change, planted);
      publisher.publish(AuditEvents.failedCall, call);
      await publisher.flush();
      await eventually(async () =>
        expect(await count('failed_calls', 'id = $1', [call.id])).toBe(1),
      );
      const stored = await withDb(databaseUrl, async (db) => {
        const changes = await db.query(`SELECT * FROM ${schema}.changes WHERE id = $1`, [
          planted.id,
        ]);
        const calls = await db.query(`SELECT * FROM ${schema}.failed_calls WHERE id = $1`, [
          call.id,
        ]);
        return JSON.stringify([changes.rows, calls.rows]);
      });
      for (const secret of ['hunter2', 'les_planted', 'lek_planted', 'eyJ', 'sid=planted']) {
        expect(stored).not.toContain(secret);
      }
      expect(stored).not.toContain('planted-secret');
      expect(stored).toContain('CRM');
      expect(stored).toContain('page=2');
      const fetched = await rpc.request(AuditRpc.failedCall, {
        workspaceId: 'ws-secret',
        id: call.id,
      });
      expect(fetched?.request.headers.authorization).toBe('[REDACTED]');
    },
    SLOW,
  );

  it(
    'sets poison messages aside (terminated, counted), stores NUL-bearing ones mended, and keeps consuming',
    async () => {
      const js = jetstream(link.connection);
      const before = await metrics();
      await js.publish(link.subject(AuditEvents.change.subject), '{"id":');
      await js.publish(link.subject(AuditEvents.token.subject), JSON.stringify({ id: 'x' }));
      // valid JSON and valid fields, but PostgreSQL cannot hold NUL: replaced, not refused
      const withNul = change({ workspaceId: 'ws-poison', action: 'bad\u0000action' });
      const good = change({ workspaceId: 'ws-poison' });
      publisher.publish(AuditEvents.change, withNul);
      publisher.publish(AuditEvents.change, good);
      await publisher.flush();
      await settled();
      expect(await count('changes', 'workspace_id = $1', ['ws-poison'])).toBe(2);
      expect(await count('changes', 'id = $1', [good.id])).toBe(1);
      expect(
        await count('changes', 'id = $1 AND action = $2', [withNul.id, 'bad\ufffdaction']),
      ).toBe(1);
      const after = await metrics();
      const delta = (name: string): number => sample(after, name) - sample(before, name);
      expect(delta('audit_events_rejected_total{reason="bad_json"}')).toBe(1);
      expect(delta('audit_events_rejected_total{reason="invalid"}')).toBe(1);
      expect(delta('audit_events_rejected_total{reason="unstorable"}')).toBe(0);
      expect(delta('audit_strings_sanitised_total{type="change"}')).toBe(1);
    },
    SLOW,
  );

  it(
    'stores each entry of a token-log batch as its own row, once, and refuses only bad entries',
    async () => {
      const before = await metrics();
      const entries = [
        tokenEvent({ workspaceId: 'ws-batch' }),
        tokenEvent({ workspaceId: 'ws-batch', outcome: 'error', error: 'invalid_client' }),
        tokenEvent({ workspaceId: 'ws-batch' }),
      ];
      const bad = { ...tokenEvent({ workspaceId: 'ws-batch' }), outcome: 'maybe' };
      // valid fields, but error_code is a PostgreSQL integer
      const unstorable = tokenEvent({ workspaceId: 'ws-batch', errorCode: 2 ** 40 });
      const at = new Date().toISOString();
      publisher.publish(
        AuditEvents.tokenBatch,
        { id: 'batch-1', at, events: [...entries, bad as unknown as TokenEvent, unstorable] },
        'batch-1',
        5,
      );
      // the same entries again under another batch id: stored once all the same
      publisher.publish(AuditEvents.tokenBatch, { id: 'batch-2', at, events: entries }, 'batch-2');
      await publisher.flush();
      await settled();
      expect(await count('token_events', 'workspace_id = $1', ['ws-batch'])).toBe(3);
      for (const entry of entries) {
        expect(await count('token_events', 'id = $1', [entry.id])).toBe(1);
      }
      const after = await metrics();
      expect(sample(after, 'audit_events_written_total{type="token"}')).toBe(
        sample(before, 'audit_events_written_total{type="token"}') + 3,
      );
      for (const reason of ['invalid', 'unstorable']) {
        const name = `audit_events_rejected_total{reason="${reason}"}`;
        expect(sample(after, name) - sample(before, name)).toBe(1);
      }
    },
    SLOW,
  );

  it(
    'writes a burst in batches of at most AUDIT_BATCH_SIZE',
    async () => {
      const before = await metrics();
      for (let i = 0; i < 1200; i += 1) {
        publisher.publish(AuditEvents.change, change({ workspaceId: 'ws-burst' }));
      }
      await publisher.flush();
      await eventually(async () =>
        expect(await count('changes', 'workspace_id = $1', ['ws-burst'])).toBe(1200),
      );
      const after = await metrics();
      const batches =
        sample(after, 'audit_batch_size_count') - sample(before, 'audit_batch_size_count');
      expect(batches).toBeGreaterThanOrEqual(3);
      expect(batches).toBeLessThan(100);
      expect(sample(after, 'audit_batch_size_bucket{le="500"}')).toBe(
        sample(after, 'audit_batch_size_count'),
      );
    },
    SLOW,
  );

  it(
    'keeps what the database cannot take (nak) and stores it once it can',
    async () => {
      await withDb(databaseUrl, (db) =>
        db.query(`ALTER TABLE ${schema}.changes RENAME TO changes_away`),
      );
      const event = change({ workspaceId: 'ws-outage' });
      try {
        const failures = sample(await metrics(), 'audit_batch_write_failures_total');
        publisher.publish(AuditEvents.change, event);
        await publisher.flush();
        await eventually(async () =>
          expect(sample(await metrics(), 'audit_batch_write_failures_total')).toBeGreaterThan(
            failures,
          ),
        );
      } finally {
        await withDb(databaseUrl, (db) =>
          db.query(`ALTER TABLE ${schema}.changes_away RENAME TO changes`),
        );
      }
      await eventually(async () => expect(await count('changes', 'id = $1', [event.id])).toBe(1));
    },
    SLOW,
  );

  it('deletes rows past retention, on demand and periodically', async () => {
    const old = {
      change: change({ workspaceId: 'ws-ret', at: daysAgo(366) }),
      call: failedCall({ workspaceId: 'ws-ret', at: daysAgo(31) }),
      client: authClient({ workspaceId: 'ws-ret', at: daysAgo(400) }),
      token: tokenEvent({ workspaceId: 'ws-ret', at: daysAgo(400) }),
      ips: ipCounts([{ workspaceId: 'ws-ret', api: 'events', ip: '10.2.2.2', requests: 1 }], {
        at: daysAgo(32),
      }),
    };
    const fresh = {
      change: change({ workspaceId: 'ws-ret', at: daysAgo(300) }),
      call: failedCall({ workspaceId: 'ws-ret', at: daysAgo(29) }),
    };
    publisher.publish(AuditEvents.change, old.change);
    publisher.publish(AuditEvents.change, fresh.change);
    publisher.publish(AuditEvents.failedCall, old.call);
    publisher.publish(AuditEvents.failedCall, fresh.call);
    publisher.publish(AuditEvents.authClient, old.client);
    publisher.publish(AuditEvents.token, old.token);
    publisher.publish(AuditEvents.clientIps, old.ips);
    await publisher.flush();
    await settled();
    expect(await count('changes', 'workspace_id = $1', ['ws-ret'])).toBe(2);
    expect(await count('client_ip_counts', 'workspace_id = $1', ['ws-ret'])).toBe(1);

    const deleted = await service.app.get(RetentionJob).run();
    expect(deleted).toMatchObject({
      changes: 1,
      failed_calls: 1,
      auth_client_events: 1,
      token_events: 1,
      client_ip_counts: 1,
    });
    const changes = await rpc.request(AuditRpc.changes, { workspaceId: 'ws-ret' });
    expect(changes.items.map((c) => c.id)).toEqual([fresh.change.id]);
    const calls = await rpc.request(AuditRpc.failedCalls, { workspaceId: 'ws-ret' });
    expect(calls.items.map((c) => c.id)).toEqual([fresh.call.id]);
    expect(await rpc.request(AuditRpc.tokens, { workspaceId: 'ws-ret' })).toEqual({
      items: [],
      nextCursor: null,
    });

    // a second replica with a short interval purges on its own, again and again
    const replica = await runService(
      auditApp(loadConfig({ ...env, AUDIT_RETENTION_INTERVAL_MS: '200' })),
    );
    try {
      await withDb(databaseUrl, (db) =>
        db.query(
          `INSERT INTO ${schema}.changes (id, workspace_id, at, actor_type, actor_id, action, source)
           VALUES ('planted-old', 'ws-ret', now() - interval '400 days', 'system', 's', 'x', 'system')`,
        ),
      );
      await eventually(async () => expect(await count('changes', "id = 'planted-old'")).toBe(0));
    } finally {
      await replica.close();
    }
  });
});
