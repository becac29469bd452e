// Audit ingest with hash chains: sustained events/s from the AUDIT stream into PostgreSQL (the
// audit service draining a backlog of N admin changes over W workspaces: parse, validate,
// redact, lock the chain heads, hash, insert, ack), next to a raw batched INSERT of the same
// rows (500 per statement, no chain) into a copy of the table, measured in the same run; then
// the p95 of a filtered, keyset-paginated list (`audit.changes.list`, filter `action`, pages of
// 50, one page after another) on a workspace of 1,000,000 rows made by INSERT … SELECT.
//
// The stages of the pipeline are measured on their own in the same run, so the chain's share
// can be told apart from delivery and parsing:
//   delivery   JetStream only: a durable pull consumer with the service's settings, ack each
//   parse      parse, validate and redact (the service's parseMessage), in this process
//   hash       canonical JSON and SHA-256 of each entry (the service's chain code), in this process
//   unchained  the service's pipeline with the chain off: the same consumer, batcher and parser,
//              each batch one INSERT … ON CONFLICT DO NOTHING RETURNING id transaction (the
//              writer before chaining) into a copy of the table, acks after the commit
//
//   node tools/build.mjs --no-web && node bench/audit/ingest.mjs [events] [rows]
//   BENCH_QUICK=1: 5,000 events, 200,000 rows
//   BENCH_INGEST_ONLY=1: no verification or query part, no result file (a quick comparison)
//   BENCH_CPU_PROF=DIR: the service runs with --cpu-prof, profiles written to DIR
//   BENCH_AUDIT_MAIN=PATH: another build of the service (its main.js) to compare with
import 'reflect-metadata';
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { Batcher } from '../../apps/audit/dist/ingest/batcher.js';
import { parseMessage } from '../../apps/audit/dist/ingest/parse-event.js';
import { CHANGE_COLUMNS, changeRow, insertSql } from '../../apps/audit/dist/ingest/rows.js';
import { canonicalEntry, chainHash, GENESIS_HASH } from '../../apps/audit/dist/chain/canonical.js';
import { CHAIN_LOGS, fieldsOf, rowOf } from '../../apps/audit/dist/chain/chain-logs.js';
import { loadConfig } from '../../apps/audit/dist/config.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const events = Number(process.argv[2] ?? (quick ? 5000 : 20_000));
const bigRows = Number(process.argv[3] ?? (quick ? 200_000 : 1_000_000));
const ingestOnly = process.env.BENCH_INGEST_ONLY === '1';
const cpuProfDir = process.env.BENCH_CPU_PROF;
const main = process.env.BENCH_AUDIT_MAIN ?? 'apps/audit/dist/main.js';
const workspaces = 20;
const queries = 200;
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `bench${process.pid}`;
const schema = `"${prefix}_audit"`;
const port = 19306;
const env = {
  ...process.env,
  NATS_URL: natsUrl,
  NATS_PREFIX: prefix,
  DATABASE_URL: databaseUrl,
  DB_SCHEMA_PREFIX: `${prefix}_`,
  PORT: String(port),
  LOG_LEVEL: 'warn',
  AUDIT_ANCHOR_KEY: randomBytes(32).toString('base64'),
  AUDIT_MAX_ACK_PENDING: '5000',
};
// the service's consumer settings, for the stages measured here
const settings = loadConfig(env).consumer;
const changeSubject = `${prefix}.audit.change.recorded`;
let service;

/** CPU seconds a process has used so far (Linux: utime + stime of /proc/PID/stat). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function change(i, at) {
  return {
    id: randomUUID(),
    at: at ?? new Date(Date.now() - (events - i) * 10).toISOString(),
    workspaceId: `ws-${i % workspaces}`,
    actor: { type: 'admin', id: 'admin-1', email: 'admin@example.com' },
    action: i % 2 === 0 ? 'ip-filter.updated' : 'credentials.generated',
    target: 'events',
    after: { entries: ['10.0.0.0/8', `192.168.${i % 250}.0/24`] },
    source: 'ui',
    requestId: randomUUID(),
  };
}

async function waitFor(check, timeoutMs = 300_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(50);
  }
  throw new Error('timed out');
}

/** A durable pull consumer on the change subject with the service's settings. */
async function benchConsumer(name) {
  const jsm = await jetstreamManager(nc);
  await jsm.consumers.add(`${prefix}_AUDIT`, {
    durable_name: name,
    filter_subject: changeSubject,
    ack_policy: AckPolicy.Explicit,
    ack_wait: settings.ackWaitSeconds * 1e9,
    max_ack_pending: settings.maxAckPending,
  });
  const consumer = await jetstream(nc).consumers.get(`${prefix}_AUDIT`, name);
  return consumer.consume({
    max_messages: Math.min(settings.batchSize * 2, settings.maxAckPending),
  });
}

/** Events/s of `run`, which resolves once it has handled every event of the backlog. */
async function rate(run) {
  const started = performance.now();
  await run();
  return Math.round(events / ((performance.now() - started) / 1000));
}

/** JetStream delivery alone: every message acknowledged as it arrives. */
async function deliveryOnly() {
  const messages = await benchConsumer('bench_delivery');
  let seen = 0;
  const perSecond = await rate(async () => {
    for await (const message of messages) {
      message.ack();
      seen += 1;
      if (seen === events) break;
    }
  });
  await messages.close();
  return perSecond;
}

/**
 * The service's pipeline with the chain off: same consumer settings, batcher and parser; each
 * batch one INSERT … ON CONFLICT DO NOTHING RETURNING id transaction; acks after the commit.
 */
async function unchainedPipeline(table) {
  const writer = new pg.Client({ connectionString: databaseUrl });
  await writer.connect();
  const messages = await benchConsumer('bench_unchained');
  let stored = 0;
  let writeMs = 0;
  let done;
  const finished = new Promise((resolve) => (done = resolve));
  const batcher = new Batcher(
    { maxSize: settings.batchSize, maxWaitMs: settings.batchWaitMs },
    async (batch) => {
      const rows = batch.flatMap((item) => item.rows);
      const began = performance.now();
      await writer.query('BEGIN');
      const sql = insertSql(
        table,
        CHANGE_COLUMNS,
        rows.length,
        'ON CONFLICT (id) DO NOTHING RETURNING id',
      );
      const result = await writer.query(sql, rows.flat());
      await writer.query('COMMIT');
      writeMs += performance.now() - began;
      for (const { message } of batch) message.ack();
      stored += result.rowCount;
      if (stored >= events) done();
    },
  );
  const perSecond = await rate(async () => {
    void (async () => {
      // parsed as they arrive, as the service does it
      for await (const message of messages) {
        const parsed = parseMessage(message.subject.slice(prefix.length + 1), message.data);
        batcher.add({ message, rows: parsed.records.map((record) => changeRow(record.event)) });
      }
    })();
    await finished;
  });
  await messages.close();
  await writer.end();
  return { perSecond, writePerSecond: Math.round(events / (writeMs / 1000)) };
}

/** Parse, validate and redact (events/s on one core), returning the records. */
function parseOnly(payloads) {
  const records = [];
  const started = performance.now();
  for (const data of payloads) records.push(...parseMessage('audit.change.recorded', data).records);
  return { perSecond: Math.round(events / ((performance.now() - started) / 1000)), records };
}

/** Canonical JSON and SHA-256 of each entry, as the chain appender does it (one core). */
function hashOnly(records) {
  const log = CHAIN_LOGS.find((entry) => entry.type === 'change');
  let previous = GENESIS_HASH;
  const started = performance.now();
  for (const record of records) {
    const canonical = canonicalEntry(
      log.name,
      record.event.workspaceId,
      fieldsOf(log, rowOf(record)),
    );
    previous = chainHash(previous, canonical);
  }
  return Math.round(events / ((performance.now() - started) / 1000));
}

const db = new pg.Client({ connectionString: databaseUrl });
const nc = await connect({ servers: natsUrl });
try {
  await db.connect();
  execFileSync(process.execPath, [main, 'migrate'], { cwd: root, env });
  // the stream and the durable consumer exist once the service has started once
  service = spawn(process.execPath, [main], {
    cwd: root,
    env,
    stdio: 'inherit',
  });
  await waitFor(async () => (await fetch(`http://127.0.0.1:${port}/readyz`).catch(() => null))?.ok);
  service.kill('SIGTERM');
  await new Promise((resolve) => service.once('exit', resolve));

  // 1. a backlog of N events
  const js = jetstream(nc);
  const batch = Array.from({ length: events }, (_, i) => change(i));
  const payloads = batch.map((event) => new TextEncoder().encode(JSON.stringify(event)));
  for (let i = 0; i < batch.length; i += 500) {
    await Promise.all(
      batch
        .slice(i, i + 500)
        .map((event, j) => js.publish(changeSubject, payloads[i + j], { msgID: event.id })),
    );
  }

  // 2. the stages on their own, then the service without the chain, on consumers of their own
  const parsed = parseOnly(payloads);
  const hashPerSecond = hashOnly(parsed.records);
  const deliveryPerSecond = await deliveryOnly();
  await db.query(`CREATE TABLE ${schema}.changes_unchained (LIKE ${schema}.changes INCLUDING ALL)`);
  const unchained = await unchainedPipeline(`${schema}.changes_unchained`);

  // 3. the service drains the backlog
  const count = async () =>
    Number((await db.query(`SELECT count(*) AS n FROM ${schema}.changes`)).rows[0].n);
  service = spawn(
    process.execPath,
    [...(cpuProfDir ? ['--cpu-prof', '--cpu-prof-dir', cpuProfDir] : []), main],
    { cwd: root, env, stdio: 'inherit' },
  );
  // from the first stored batch on (the service's own start is not ingest)
  await waitFor(async () => (await count()) > 0);
  const first = await count();
  const started = performance.now();
  const cpuStarted = cpuSeconds(service.pid);
  await waitFor(async () => (await count()) >= events);
  const chainedSeconds = (performance.now() - started) / 1000;
  // on a shared machine the service's CPU time per event varies far less than its wall time
  const serviceCpuMicrosPerEvent = Math.round(
    ((cpuSeconds(service.pid) - cpuStarted) * 1e6) / (events - first),
  );
  const chainedPerSecond = Math.round((events - first) / chainedSeconds);
  // the service's own account of its batches: the time in the write (chain and database)
  const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const sample = (name) =>
    Number(
      metrics
        .split('\n')
        .find((line) => line.startsWith(`${name} `))
        ?.split(' ')[1] ?? NaN,
    );
  const batches = sample('audit_batch_write_duration_seconds_count');
  const chainedWrite = {
    batches,
    meanBatch: Math.round(sample('audit_batch_size_sum') / batches),
    writeEventsPerSecond: Math.round(events / sample('audit_batch_write_duration_seconds_sum')),
  };

  // 4. the same rows, raw batched INSERT (500 per statement) into a copy of the table
  await db.query(`CREATE TABLE ${schema}.changes_raw (LIKE ${schema}.changes INCLUDING ALL)`);
  const rawStarted = performance.now();
  for (let i = 0; i < batch.length; i += 500) {
    const rows = batch.slice(i, i + 500).map(changeRow);
    await db.query('BEGIN');
    await db.query(
      insertSql(
        `${schema}.changes_raw`,
        CHANGE_COLUMNS,
        rows.length,
        'ON CONFLICT (id) DO NOTHING',
      ),
      rows.flat(),
    );
    await db.query('COMMIT');
  }
  const rawPerSecond = Math.round(events / ((performance.now() - rawStarted) / 1000));
  const ingest = {
    chainedEventsPerSecond: chainedPerSecond,
    serviceCpuMicrosPerEvent,
    rawInsertRowsPerSecond: rawPerSecond,
    ratioToRawInsert: Number((chainedPerSecond / rawPerSecond).toFixed(3)),
    stages: {
      deliveryEventsPerSecond: deliveryPerSecond,
      parseEventsPerSecond: parsed.perSecond,
      hashEventsPerSecond: hashPerSecond,
      unchainedPipelineEventsPerSecond: unchained.perSecond,
      chainedToUnchained: Number((chainedPerSecond / unchained.perSecond).toFixed(3)),
      unchainedWriteEventsPerSecond: unchained.writePerSecond,
      chainedWriteEventsPerSecond: chainedWrite.writeEventsPerSecond,
      chainedBatches: chainedWrite.batches,
      chainedMeanBatch: chainedWrite.meanBatch,
    },
    consumer: { batchSize: settings.batchSize, batchWaitMs: settings.batchWaitMs },
  };
  if (ingestOnly) {
    console.log(JSON.stringify({ events, workspaces, ...ingest }, null, 2));
  } else {
    // 5. verification of one workspace's chains (the RPC operators use)
    const request = async (subject, payload, timeout = 120_000) => {
      const reply = await nc.request(`${prefix}.${subject}`, JSON.stringify(payload), { timeout });
      return JSON.parse(reply.string());
    };
    const verifyStarted = performance.now();
    const verified = await request('audit.chain.verify', { workspaceId: 'ws-0' });
    const verifyMs = Math.round(performance.now() - verifyStarted);

    // 6. 1,000,000 rows in one workspace, then filtered pages one after another
    await db.query(
      `INSERT INTO ${schema}.changes (id, workspace_id, at, actor_type, actor_id, action, target, after, source)
       SELECT 'big-' || g, 'ws-big', now() - g * interval '1 second', 'admin', 'admin-' || (g % 7),
              CASE WHEN g % 10 = 0 THEN 'ip-filter.updated' ELSE 'credentials.generated' END,
              'events', '{"n":1}', 'ui'
       FROM generate_series(1, $1) AS g`,
      [bigRows],
    );
    await db.query(`ANALYZE ${schema}.changes`);
    const times = [];
    let cursor;
    for (let i = 0; i < queries; i += 1) {
      const t = performance.now();
      const answer = await request(
        'audit.changes.list',
        {
          workspaceId: 'ws-big',
          limit: 50,
          filters: { action: 'ip-filter.updated' },
          ...(cursor ? { cursor } : {}),
        },
        10_000,
      );
      times.push(performance.now() - t);
      const page = answer.ok ?? answer.data ?? answer;
      cursor = page.nextCursor ?? undefined;
    }
    times.sort((a, b) => a - b);
    const p = (q) =>
      Number(times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2));

    const result = {
      date: new Date().toISOString(),
      node: process.version,
      events,
      workspaces,
      path: 'AUDIT stream backlog → audit service (parse, validate, redact, lock chain heads, SHA-256 chain, insert, ack)',
      ...ingest,
      verify: { workspace: 'ws-0', ok: verified.ok?.ok ?? verified.ok ?? null, ms: verifyMs },
      query: {
        rows: bigRows,
        list: 'audit.changes.list, filter action (1 row in 10), pages of 50, keyset cursor',
        queries,
        p50Ms: p(0.5),
        p95Ms: p(0.95),
        maxMs: Number(times[times.length - 1].toFixed(2)),
      },
      target: 'chained ingest at least 0.5 of the raw INSERT rate',
    };
    mkdirSync(join(root, 'bench', 'results'), { recursive: true });
    writeFileSync(
      join(root, 'bench', 'results', 'audit-ingest.json'),
      `${JSON.stringify(result, null, 2)}\n`,
    );
    console.log(JSON.stringify(result, null, 2));
  }
} finally {
  service?.kill('SIGTERM');
  if (service) await new Promise((resolve) => service.once('exit', resolve));
  const jsm = await jetstreamManager(nc).catch(() => undefined);
  await jsm?.streams.delete(`${prefix}_AUDIT`).catch(() => undefined);
  await nc.close();
  await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => undefined);
  await db.end();
}
