import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { AuditChainRpc, AuditEvents, type ChainVerification } from '@loyalty-edge/audit-contracts';
import { EventPublisher, NatsLink, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { AnchorJob } from '../src/chain/anchor.job.js';
import { loadConfig } from '../src/config.js';
import type { AuditRecord } from '../src/ingest/audit-record.js';
import { AuditWriter } from '../src/ingest/audit-writer.js';
import { RetentionJob } from '../src/retention/retention.job.js';
import { change, daysAgo, eventually, failedCall, tokenEvent, withDb } from './support.js';

const prefix = uniquePrefix();
const env = serviceEnv(prefix, {
  AUDIT_ANCHOR_KEY: randomBytes(32).toString('base64'),
  // anchored by the test, not by the timer
  AUDIT_ANCHOR_INTERVAL_MS: '86400000',
  AUDIT_BATCH_WAIT_MS: '20',
});
const databaseUrl = env.DATABASE_URL ?? '';
const schema = `"${prefix}_audit"`;
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;
let publisher: EventPublisher;

const sql = (text: string, params: unknown[] = []): Promise<Record<string, unknown>[]> =>
  withDb(databaseUrl, async (db) => (await db.query<Record<string, unknown>>(text, params)).rows);

const settled = (): Promise<void> =>
  eventually(async () => {
    const jsm = await jetstreamManager(link.connection);
    const info = await jsm.consumers.info(`${prefix}_AUDIT`, `${prefix}_audit_writer`);
    expect(info.num_pending + info.num_ack_pending).toBe(0);
  });

const verify = (workspaceId: string): Promise<ChainVerification> =>
  rpc.request(AuditChainRpc.verify, { workspaceId });

const log = (result: ChainVerification, name: string) =>
  result.logs.find((entry) => entry.log === name);

/** A workspace with `n` changes (one minute apart) stored; returns their ids in chain order. */
async function workspaceWith(n: number, name: string): Promise<{ ws: string; ids: string[] }> {
  const ws = `${name}-${randomBytes(3).toString('hex')}`;
  const events = Array.from({ length: n }, (_, i) =>
    change({ workspaceId: ws, at: new Date(Date.UTC(2030, 0, 1, 0, i)).toISOString() }),
  );
  for (const event of events) publisher.publish(AuditEvents.change, event);
  await publisher.flush();
  await settled();
  return { ws, ids: events.map((event) => event.id) };
}

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

describe('audit hash chains', () => {
  it('chains every log per workspace and verifies intact chains', async () => {
    const ws = `intact-${randomBytes(3).toString('hex')}`;
    for (let i = 0; i < 5; i += 1) {
      publisher.publish(AuditEvents.change, change({ workspaceId: ws }));
      publisher.publish(AuditEvents.failedCall, failedCall({ workspaceId: ws }));
    }
    publisher.publish(AuditEvents.tokenBatch, {
      id: randomBytes(8).toString('hex'),
      at: new Date().toISOString(),
      events: [tokenEvent({ workspaceId: ws }), tokenEvent({ workspaceId: ws })],
    });
    await publisher.flush();
    await settled();
    const result = await verify(ws);
    expect(result.ok).toBe(true);
    expect(Object.fromEntries(result.logs.map((l) => [l.log, l.entries]))).toEqual({
      changes: 5,
      'auth-clients': 0,
      tokens: 2,
      'failed-calls': 5,
    });
  });

  it('stores a redelivered event once, without a gap in the chain', async () => {
    const { ws } = await workspaceWith(3, 'redeliver');
    const again = change({ workspaceId: ws });
    publisher.publish(AuditEvents.change, again, 'once-1');
    publisher.publish(AuditEvents.change, again, 'once-2');
    await publisher.flush();
    await settled();
    const rows = await sql(
      `SELECT seq FROM ${schema}.changes WHERE workspace_id = $1 ORDER BY seq`,
      [ws],
    );
    expect(rows.map((row) => Number(row.seq))).toEqual([1, 2, 3, 4]);
    expect((await verify(ws)).ok).toBe(true);
  });

  it('chains concurrent batches of overlapping events once each, without gaps', async () => {
    const tag = randomBytes(3).toString('hex');
    const workspaces = [`overlap-a-${tag}`, `overlap-b-${tag}`];
    const records: AuditRecord[] = Array.from({ length: 60 }, (_, i) => ({
      type: 'change',
      event: change({
        workspaceId: workspaces[i % 2] ?? null,
        at: new Date(Date.UTC(2030, 1, 1, 0, i)).toISOString(),
      }),
    }));
    const writer = service.app.get(AuditWriter);
    // some already stored, then three writers at once over all of them (and the stream's own)
    await writer.write(records.slice(0, 20));
    await Promise.all([
      writer.write(records),
      writer.write([...records].reverse()),
      writer.write(records.slice(10, 50)),
    ]);
    for (const ws of workspaces) {
      const rows = await sql(
        `SELECT seq FROM ${schema}.changes WHERE workspace_id = $1 ORDER BY seq`,
        [ws],
      );
      expect(rows.map((row) => Number(row.seq))).toEqual(
        Array.from({ length: 30 }, (_, i) => i + 1),
      );
      expect((await verify(ws)).ok).toBe(true);
    }
  });

  it('names an altered entry', async () => {
    const { ws, ids } = await workspaceWith(5, 'altered');
    await sql(`UPDATE ${schema}.changes SET action = 'nothing.happened' WHERE id = $1`, [ids[2]]);
    const result = await verify(ws);
    expect(result.ok).toBe(false);
    expect(log(result, 'changes')?.broken).toMatchObject({ kind: 'altered', seq: 3, id: ids[2] });
  });

  it('names a removed entry', async () => {
    const { ws, ids } = await workspaceWith(5, 'removed');
    await sql(`DELETE FROM ${schema}.changes WHERE id = $1`, [ids[1]]);
    expect(log(await verify(ws), 'changes')?.broken).toMatchObject({ kind: 'removed', seq: 2 });
  });

  it('names reordered entries', async () => {
    const { ws, ids } = await workspaceWith(5, 'reordered');
    await sql(
      `UPDATE ${schema}.changes SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END
       WHERE workspace_id = $1 AND seq IN (2, 3)`,
      [ws],
    );
    expect(log(await verify(ws), 'changes')?.broken).toMatchObject({
      kind: 'reordered',
      seq: 2,
      id: ids[2],
    });
  });

  it('names the newest entries deleted, head and all, by the signed anchor', async () => {
    const { ws, ids } = await workspaceWith(5, 'truncated');
    await service.app.get(AnchorJob).run();
    // the newest two go, and the chain head is moved back to match
    const [kept] = await sql(
      `SELECT hash FROM ${schema}.changes WHERE workspace_id = $1 AND seq = 3`,
      [ws],
    );
    await sql(`DELETE FROM ${schema}.changes WHERE id = ANY($1)`, [ids.slice(3)]);
    await sql(
      `UPDATE ${schema}.chain_heads SET seq = 3, hash = $2 WHERE log = 'changes' AND workspace = $1`,
      [ws, kept?.hash],
    );
    const result = await verify(ws);
    expect(result.anchoredAt).not.toBeNull();
    expect(log(result, 'changes')?.broken).toMatchObject({ kind: 'truncated', seq: 4, id: null });
  });

  it('names a forged anchor', async () => {
    const { ws } = await workspaceWith(2, 'forged');
    await service.app.get(AnchorJob).run();
    await sql(
      `UPDATE ${schema}.chain_anchors SET heads = jsonb_set(heads, '{changes,seq}', '9')
       WHERE workspace = $1`,
      [ws],
    );
    expect(log(await verify(ws), 'changes')?.broken).toMatchObject({ kind: 'altered' });
  });

  it('keeps a chain verifiable after retention purged its oldest entries', async () => {
    const ws = `purged-${randomBytes(3).toString('hex')}`;
    const old = [400, 399, 398].map((days) => change({ workspaceId: ws, at: daysAgo(days) }));
    const recent = [change({ workspaceId: ws }), change({ workspaceId: ws })];
    for (const event of old) publisher.publish(AuditEvents.change, event);
    await publisher.flush();
    await settled();
    for (const event of recent) publisher.publish(AuditEvents.change, event);
    await publisher.flush();
    await settled();
    await service.app.get(AnchorJob).run();
    await service.app.get(RetentionJob).run();
    const left = await sql(`SELECT id FROM ${schema}.changes WHERE workspace_id = $1`, [ws]);
    expect(left.map((row) => row.id).sort()).toEqual(recent.map((e) => e.id).sort());
    const result = await verify(ws);
    expect(result.ok).toBe(true);
    expect(log(result, 'changes')).toMatchObject({ entries: 2, firstSeq: 4, lastSeq: 5 });
  });

  it('refuses an invalid request', async () => {
    await expect(rpc.request(AuditChainRpc.verify, { workspaceId: '' })).rejects.toMatchObject({
      kind: 'invalid',
    });
  });
});
