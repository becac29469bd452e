// Gateway overhead: one upstream behind a bare Node proxy and behind the gateway (api_key auth,
// policies from KV, failed-call capture armed), load from wrk in a separate process. Both are
// measured in the same run, alternating, and the ratio of requests/s is the figure to quote.
//
//   node tools/build.mjs --no-web && node bench/gateway/overhead.mjs [seconds] [connections]
//   (RATE_LIMIT_DEFAULT_PER_MINUTE=0 to measure without the per-key rate limit)
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';

const root = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.argv[2] ?? 10);
const connections = Number(process.argv[3] ?? 32);
const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = `bench${process.pid}`;
const apiKey = 'lek_benchmarkkey0000000000000';
const ports = { upstream: 19101, bare: 19102, gateway: 19103, metrics: 19104 };
const children = [];

function start(name, args, env) {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return child;
}

async function waitFor(url) {
  for (let i = 0; i < 200; i += 1) {
    try {
      if ((await fetch(url)).status < 500) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up`);
}

function wrk(url) {
  const out = execFileSync('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], {
    encoding: 'utf8',
  });
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  const percentile = (p) => {
    const match = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)`).exec(out);
    if (!match) return NaN;
    const factor = { us: 0.001, ms: 1, s: 1000 }[match[2]];
    return Number(match[1]) * factor;
  };
  const non2xx = Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0);
  return { requestsPerSecond: rps, p50Ms: percentile(50), p99Ms: percentile(99), non2xx };
}

try {
  const nc = await connect({ servers: natsUrl });
  const kv = await new Kvm(nc).create(`${prefix}_api_keys`, { history: 1 });
  await kv.put(apiKey, JSON.stringify({ workspaceId: 'bench', status: 'active', version: 1 }));
  start('upstream', ['bench/gateway/upstream.mjs'], { PORT: String(ports.upstream) });
  start('bare', ['bench/gateway/bare-proxy.mjs'], {
    PORT: String(ports.bare),
    UPSTREAM: `http://127.0.0.1:${ports.upstream}`,
  });
  start('gateway', ['apps/gateway/dist/main.js'], {
    NATS_URL: natsUrl,
    NATS_PREFIX: prefix,
    PORT: String(ports.metrics),
    GATEWAY_PORT: String(ports.gateway),
    UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${ports.upstream}`,
    // the rate limit counts every request but never refuses one (0 would switch it off)
    RATE_LIMIT_DEFAULT_PER_MINUTE: process.env.RATE_LIMIT_DEFAULT_PER_MINUTE ?? '1000000000',
    LOG_LEVEL: 'warn',
  });
  await waitFor(`http://127.0.0.1:${ports.upstream}/`);
  await waitFor(`http://127.0.0.1:${ports.bare}/`);
  await waitFor(`http://127.0.0.1:${ports.metrics}/readyz`);
  const path = `/customers/c1?api_key=${apiKey}`;
  const targets = {
    bare: `http://127.0.0.1:${ports.bare}${path}`,
    gateway: `http://127.0.0.1:${ports.gateway}${path}`,
  };
  // warm up both (JIT, keep-alive pools), then alternate: bare, gateway, bare, gateway
  wrk(targets.bare);
  wrk(targets.gateway);
  const runs = { bare: [], gateway: [] };
  for (let round = 0; round < 2; round += 1) {
    runs.bare.push(wrk(targets.bare));
    runs.gateway.push(wrk(targets.gateway));
  }
  const mean = (list, key) => list.reduce((sum, run) => sum + run[key], 0) / list.length;
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      {
        requestsPerSecond: Math.round(mean(list, 'requestsPerSecond')),
        p50Ms: Number(mean(list, 'p50Ms').toFixed(3)),
        p99Ms: Number(mean(list, 'p99Ms').toFixed(3)),
        non2xx: list.reduce((sum, run) => sum + run.non2xx, 0),
      },
    ]),
  );
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    load: `wrk -t1 -c${connections} -d${seconds}s, 2 alternating rounds after a warm-up`,
    request: 'GET /customers/c1?api_key=… (upstream answers 200 with 70 bytes of JSON)',
    rateLimitPerMinute: Number(process.env.RATE_LIMIT_DEFAULT_PER_MINUTE ?? 1_000_000_000),
    ...summary,
    ratio: Number((summary.gateway.requestsPerSecond / summary.bare.requestsPerSecond).toFixed(3)),
    runs,
  };
  mkdirSync(`${root}/bench/results`, { recursive: true });
  writeFileSync(
    `${root}/bench/results/gateway-overhead.json`,
    `${JSON.stringify(result, null, 2)}\n`,
  );
  process.stdout.write(
    `${JSON.stringify({ bare: summary.bare, gateway: summary.gateway, ratio: result.ratio }, null, 2)}\n`,
  );
  const jsm = await (await import('@nats-io/jetstream')).jetstreamManager(nc);
  for await (const name of jsm.streams.names())
    if (name.includes(prefix)) await jsm.streams.delete(name);
  await nc.close();
} finally {
  for (const child of children) child.kill('SIGTERM');
}
