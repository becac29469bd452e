import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { jetstream } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { ChangeEvent, FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { cleanUp, eventually, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { PgProxy } from './support/pg-proxy.js';

// Exactly once, in order: a backlog of N audit events is being stored by the audit service
// (small batches, several workspaces) when (a) the service is killed with SIGKILL, batches in
// hand, and started again, or (b) PostgreSQL is cut for 10 s. Afterwards each event is stored
// exactly once and every workspace's hash chains verify (`verify`, exit status 0).

const root = fileURLToPath(new URL('..', import.meta.url));
const N = 3000;
const WORKSPACES = ['crash-a', 'crash-b', 'crash-c'];
const CUT_MS = 10_000;

let prefix: string;
let anchorKey: string;
let nats: NatsConnection;
let db: pg.Client;
let service: ChildProcess | undefined;
let proxy: PgProxy | undefined;

function env(databaseUrl?: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    ...serviceEnv(prefix, {
      AUDIT_BATCH_SIZE: '50',
      AUDIT_BATCH_WAIT_MS: '20',
      AUDIT_MAX_ACK_PENDING: '200',
      AUDIT_ANCHOR_KEY: anchorKey,
      AUDIT_ANCHOR_INTERVAL_MS: '500',
    }),
    ...(databaseUrl === undefined ? {} : { DATABASE_URL: databaseUrl }),
  };
}

function startAudit(variables: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ['apps/audit/dist/main.js'], {
    cwd: root,
    env: variables,
    stdio: 'ignore',
  });
  service = child;
  return child;
}

async function stopAudit(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  const child = service;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}

const count = async (table: string): Promise<{ rows: number; distinct: number }> => {
  const { rows } = await db.query<{ n: string; d: string }>(
    `SELECT count(*) AS n, count(DISTINCT id) AS d FROM "${prefix}_audit".${table}`,
  );
  return { rows: Number(rows[0]?.n), distinct: Number(rows[0]?.d) };
};

/** N events (two in three admin changes, the rest failed calls) published to the stream. */
async function publishBacklog(): Promise<void> {
  const js = jetstream(nats);
  const at = Date.now();
  for (let i = 0; i < N; i += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, N - i) }, (_, j) => {
        const n = i + j;
        const workspaceId = WORKSPACES[n % WORKSPACES.length] ?? 'crash-a';
        const time = new Date(at + n).toISOString();
        const event: ChangeEvent | FailedCallEvent =
          n % 3 === 2
            ? {
                id: randomUUID(),
                at: time,
                workspaceId,
                api: 'events',
                clientIp: '203.0.113.7',
                requestId: randomUUID(),
                reason: 'ip_denied',
                durationMs: 1,
                request: { method: 'GET', url: `/events?n=${n}`, headers: {}, body: '' },
                response: { status: 403, headers: {}, body: '{}' },
              }
            : {
                id: randomUUID(),
                at: time,
                workspaceId,
                actor: { type: 'admin', id: 'admin-1' },
                action: 'ip-filter.updated',
                after: { n },
                source: 'api',
              };
        const subject = n % 3 === 2 ? 'audit.failed-call.recorded' : 'audit.change.recorded';
        return js.publish(`${prefix}.${subject}`, JSON.stringify(event), { msgID: event.id });
      }),
    );
  }
}

/** Runs `verify --workspace` for every workspace; returns the exit statuses and outputs. */
function verifyAll(variables: Record<string, string>): { status: number | null; out: string }[] {
  return WORKSPACES.map((workspace) => {
    const run = spawnSync(
      process.execPath,
      ['apps/audit/dist/main.js', 'verify', '--workspace', workspace],
      { cwd: root, env: variables, encoding: 'utf8' },
    );
    return { status: run.status, out: run.stdout };
  });
}

const stored = async (): Promise<number> =>
  (await count('changes')).rows + (await count('failed_calls')).rows;

beforeEach(async () => {
  prefix = uniquePrefix();
  anchorKey = randomBytes(32).toString('base64');
  nats = await connect({ servers: process.env.NATS_URL ?? '' });
  db = new pg.Client({ connectionString: process.env.DATABASE_URL ?? '' });
  await db.connect();
  // the first start creates the schema, the stream and the durable consumer; then the backlog
  const variables = env();
  startAudit(variables);
  await eventually(async () => {
    expect(await stored()).toBe(0);
    const info = await jetstream(nats).consumers.get(`${prefix}_AUDIT`, `${prefix}_audit_writer`);
    expect(info).toBeDefined();
  }, 20_000);
  await stopAudit();
  await publishBacklog();
});

afterEach(async () => {
  await stopAudit('SIGKILL');
  await proxy?.close();
  proxy = undefined;
  await nats.close();
  await db.end();
  await cleanUp(prefix);
});

describe('audit: exactly once, chains intact', () => {
  it('survives SIGKILL in the middle of ingest', async () => {
    const variables = env();
    startAudit(variables);
    await eventually(async () => expect(await stored()).toBeGreaterThan(N / 10), 30_000);
    const before = await stored();
    await stopAudit('SIGKILL');
    startAudit(variables);
    await eventually(async () => expect(await stored()).toBe(N), 45_000);
    await sleep(1000); // an anchor after the last batch
    const changes = await count('changes');
    const failed = await count('failed_calls');
    const verified = verifyAll(variables);
    console.log(
      `audit killed at ${before} of ${N} stored; after the restart ${changes.rows + failed.rows} ` +
        `rows (${changes.distinct + failed.distinct} distinct ids); verify: ` +
        verified.map((v) => v.out.split('\n')[0]).join('; '),
    );
    expect(before).toBeLessThan(N);
    expect(changes.rows).toBe(changes.distinct);
    expect(failed.rows).toBe(failed.distinct);
    expect(changes.rows + failed.rows).toBe(N);
    expect(verified.map((v) => v.status)).toEqual(WORKSPACES.map(() => 0));
  });

  it('survives PostgreSQL cut for 10 s in the middle of ingest', async () => {
    proxy = await PgProxy.start(process.env.DATABASE_URL ?? '');
    const variables = env(proxy.url);
    startAudit(variables);
    await eventually(async () => expect(await stored()).toBeGreaterThan(N / 10), 30_000);
    await proxy.cut();
    const during = await stored();
    await sleep(CUT_MS);
    await proxy.restore();
    await eventually(async () => expect(await stored()).toBe(N), 45_000);
    await sleep(1000);
    const changes = await count('changes');
    const failed = await count('failed_calls');
    const verified = verifyAll(env()); // the same anchor key, PostgreSQL directly
    console.log(
      `PostgreSQL cut at ${during} of ${N} stored for ${CUT_MS / 1000} s; afterwards ` +
        `${changes.rows + failed.rows} rows (${changes.distinct + failed.distinct} distinct ids); ` +
        `verify: ${verified.map((v) => v.out.split('\n')[0]).join('; ')}`,
    );
    expect(during).toBeLessThan(N);
    expect(changes.rows).toBe(changes.distinct);
    expect(failed.rows).toBe(failed.distinct);
    expect(changes.rows + failed.rows).toBe(N);
    expect(verified.map((v) => v.status)).toEqual(WORKSPACES.map(() => 0));
  });
});
