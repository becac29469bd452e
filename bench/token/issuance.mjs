// Token issuance: client-credentials requests per second at the gateway's POST /v1/auth/token
// (gateway → NATS → token service signs ES256 → gateway, every answer audited), next to the raw
// ES256 signing rate of node:crypto measured in the same run. Load from wrk in its own process.
//
//   node tools/build.mjs --no-web && node bench/token/issuance.mjs [seconds] [connections]
import { spawn, execFileSync } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID, sign } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import pg from 'pg';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const prefix = `bench${process.pid}`;
const ports = { gateway: 19203, gatewayMetrics: 19204, token: 19205, audit: 19206 };
const children = [];

const env = {
  NATS_URL: natsUrl,
  NATS_PREFIX: prefix,
  DATABASE_URL: databaseUrl,
  DB_SCHEMA_PREFIX: `${prefix}_`,
  LOG_LEVEL: 'warn',
  TOKEN_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  TOKEN_ISSUER: `http://127.0.0.1:${ports.gateway}`,
};

/** ES256 signatures per second with node:crypto on one core (the token service's own path). */
function rawSigningRate(durationMs = 3000) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: randomUUID() }));
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    iss: env.TOKEN_ISSUER,
    sub: 'lec_000000000000000000000000',
    aud: `${env.TOKEN_ISSUER}/v1/async/events`,
    client_id: 'lec_000000000000000000000000',
    scope: 'loyalty.async_events',
    workspace_id: 'bench',
    jti: randomUUID(),
    iat: now,
    nbf: now,
    exp: now + 3600,
  };
  const input = Buffer.from(
    `${header.toString('base64url')}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`,
  );
  for (let i = 0; i < 500; i += 1)
    sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
  let count = 0;
  const started = performance.now();
  while (performance.now() - started < durationMs) {
    for (let i = 0; i < 100; i += 1) {
      sign('sha256', input, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    }
    count += 100;
  }
  return Math.round((count * 1000) / (performance.now() - started));
}

const named = {};

function start(name, args, extra) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env, ...extra },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  children.push(child);
  named[name] = child;
  return child;
}

function run(args, extra) {
  execFileSync(process.execPath, args, { cwd: root, env: { ...process.env, ...env, ...extra } });
}

/** CPU seconds (user + system) used so far by each process of the path, PostgreSQL summed. */
function cpuSeconds(named) {
  const ticks = (pid) => {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      return (Number(fields[11]) + Number(fields[12])) / 100;
    } catch {
      return 0;
    }
  };
  const byCommand = (pattern) =>
    readdirSync('/proc')
      .filter((pid) => /^\d+$/.test(pid))
      .filter((pid) => {
        try {
          return pattern.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
        } catch {
          return false;
        }
      })
      .reduce((sum, pid) => sum + ticks(pid), 0);
  return {
    ...Object.fromEntries(Object.entries(named).map(([name, child]) => [name, ticks(child.pid)])),
    nats: byCommand(/nats-server/),
    postgres: byCommand(/^postgres/),
  };
}

async function waitFor(url) {
  for (let i = 0; i < 300; i += 1) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

function wrk(url, script) {
  const out = execFileSync(
    'wrk',
    ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', '-s', script, url],
    { encoding: 'utf8' },
  );
  const percentile = (p) => {
    const match = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!match) return NaN;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  return {
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
  };
}

async function request(nc, subject, data) {
  const reply = await nc.request(`${prefix}.${subject}`, JSON.stringify(data), { timeout: 5000 });
  const answer = reply.json();
  if ('error' in answer) throw new Error(`${subject}: ${JSON.stringify(answer.error)}`);
  return answer.ok;
}

const nc = await connect({ servers: natsUrl });
try {
  const before = rawSigningRate();
  for (const app of ['token', 'audit']) run([`apps/${app}/dist/main.js`, 'migrate']);
  start('token', ['apps/token/dist/main.js'], { PORT: String(ports.token) });
  start('audit', ['apps/audit/dist/main.js'], { PORT: String(ports.audit) });
  await waitFor(`http://127.0.0.1:${ports.token}/readyz`);
  await waitFor(`http://127.0.0.1:${ports.audit}/readyz`);
  const workspaces = await new Kvm(nc).create(`${prefix}_workspaces`, { history: 1 });
  await workspaces.put(
    'bench',
    JSON.stringify({
      id: 'bench',
      name: 'Bench',
      modules: { ipFilter: false, signatureCheck: false, asyncEvents: true },
    }),
  );
  const options = await request(nc, 'token.options.get', {});
  const client = await request(nc, 'token.auth-client.create', {
    workspaceId: 'bench',
    name: 'bench',
    purpose: 'benchmark',
    expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    scopes: options.scopes,
    audience: options.audiences[0],
    actor: { type: 'system', id: 'bench' },
    source: 'api',
  });
  start('gateway', ['apps/gateway/dist/main.js'], {
    PORT: String(ports.gatewayMetrics),
    GATEWAY_PORT: String(ports.gateway),
  });
  await waitFor(`http://127.0.0.1:${ports.gatewayMetrics}/readyz`);
  const script = join(tmpdir(), `token-bench-${process.pid}.lua`);
  const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
  writeFileSync(
    script,
    [
      'wrk.method = "POST"',
      'wrk.body = "grant_type=client_credentials&scope=loyalty.async_events"',
      'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"',
      `wrk.headers["Authorization"] = "Basic ${basic}"`,
      '',
    ].join('\n'),
  );
  const url = `http://127.0.0.1:${ports.gateway}/v1/auth/token`;
  const check = await fetch(url, {
    method: 'POST',
    headers: {
      authorization: `Basic ${basic}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials',
  });
  if (check.status !== 200)
    throw new Error(`token endpoint answered ${check.status}: ${await check.text()}`);
  wrk(url, script); // warm-up: JIT, keep-alive, client cache
  const cpuBefore = cpuSeconds(named);
  const runs = [wrk(url, script), wrk(url, script)];
  const cpuAfter = cpuSeconds(named);
  const after = rawSigningRate();
  const mean = (key) => runs.reduce((sum, r) => sum + r[key], 0) / runs.length;
  const raw = Math.round((before + after) / 2);
  const tokens = Math.round(mean('requestsPerSecond'));
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    load: `wrk -t1 -c${connections} -d${seconds}s, 2 runs after a warm-up`,
    request: 'POST /v1/auth/token, client_secret_basic, grant_type=client_credentials',
    path: 'gateway (form + Basic parse, client record, module, IP filter) → NATS request → token service (cached client, HMAC-SHA256 secret check, ES256 sign) → gateway; each answer recorded in the token audit log (batched JetStream messages), ingested by the audit service',
    rawEs256SignaturesPerSecond: { before, after, mean: raw },
    tokensPerSecond: tokens,
    p50Ms: Number(mean('p50Ms').toFixed(3)),
    p99Ms: Number(mean('p99Ms').toFixed(3)),
    non2xx: runs.reduce((sum, r) => sum + r.non2xx, 0),
    ratioToRawSigning: Number((tokens / raw).toFixed(3)),
    cpuMicrosecondsPerToken: Object.fromEntries(
      Object.keys(cpuAfter).map((name) => [
        name,
        Math.round(((cpuAfter[name] - cpuBefore[name]) * 1e6) / (tokens * seconds * runs.length)),
      ]),
    ),
    target: 'at least 0.25 of the raw signing rate',
    runs,
  };
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(
    join(root, 'bench/results/token-issuance.json'),
    `${JSON.stringify(result, null, 2)}\n`,
  );
  process.stdout.write(`${JSON.stringify({ ...result, runs: undefined }, null, 2)}\n`);
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((resolve) => setTimeout(resolve, 500));
  const jsm = await jetstreamManager(nc);
  for await (const name of jsm.streams.names())
    if (name.includes(prefix)) await jsm.streams.delete(name);
  await nc.close();
  const db = new pg.Client({ connectionString: databaseUrl });
  await db.connect();
  const { rows } = await db.query('SELECT nspname FROM pg_namespace WHERE nspname LIKE $1', [
    `${prefix}\\_%`,
  ]);
  for (const { nspname } of rows) await db.query(`DROP SCHEMA "${nspname}" CASCADE`);
  await db.end();
}
