// Scale: the gateway with 10,000 workspaces (each with a 100-entry IP allow-list on one API,
// the IP filter and signature check modules on) and 100,000 API keys, next to the same gateway
// with one workspace in the same run. Figures: resident memory, time from start to the first
// full sync (/readyz 200), and requests/s of the signed scenario (presigned Escher GET, 100-entry
// IP list, enforcement on) as a ratio to the bare Node proxy measured alternately with it.
//
// The one real workspace is made through the management API. The other records are written
// straight into the KV buckets the gateway watches, in the owners' record formats (that is all a
// gateway ever sees of them); the run ends long before the owners' periodic reconcile, which
// would remove records they never wrote, and the gateway's applied-change counters are checked.
//
//   node tools/build.mjs --no-web && node bench/gateway/scale.mjs
//   (BENCH_QUICK=1: shorter runs, 2,500 workspaces and 25,000 keys; BENCH_WORKSPACES and
//   BENCH_KEYS override the sizes)
import { setTimeout as sleep } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { Kvm } from '@nats-io/kv';
import {
  Management,
  median,
  natsUrl,
  quick,
  round,
  rssMiB,
  stopChildren,
  wrk,
  writeResult,
  requireCommands,
} from '../lib/common.mjs';
import {
  loadSettings,
  signedWorkspace,
  startGatewayPlatform,
  startUpstreamAndBareProxy,
} from '../lib/gateway.mjs';

requireCommands(['wrk']);

const workspaces = Number(process.env.BENCH_WORKSPACES ?? (quick ? 1_000 : 10_000));
const keys = Number(process.env.BENCH_KEYS ?? (quick ? 10_000 : 100_000));
const { seconds, rounds, connections } = loadSettings({ fullRounds: 4 });
const TARGET = 0.9;

function allowList(seed) {
  const entries = [];
  for (let i = 0; i < 80; i += 1) entries.push(`10.${seed % 256}.${i}.${(seed >> 8) % 256}`);
  for (let i = 0; i < 19; i += 1) entries.push(`172.${16 + (i % 16)}.${seed % 256}.0/24`);
  entries.push('127.0.0.1');
  return entries;
}

/** Puts many records with a bounded number in flight. */
async function putAll(kv, count, record) {
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next;
      next += 1;
      const [key, value] = record(i);
      await kv.put(key, JSON.stringify(value));
    }
  };
  await Promise.all(Array.from({ length: 256 }, worker));
}

async function appliedChanges(metricsUrl) {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const counts = {};
  for (const match of text.matchAll(/_policy_changes_total\{bucket="([a-z_]+)"\} (\d+)/g)) {
    counts[match[1]] = Number(match[2]);
  }
  return counts;
}

let stack;
let nc;
try {
  const { upstreamPort, bare } = await startUpstreamAndBareProxy();
  stack = await startGatewayPlatform(upstreamPort);
  const gateway = stack.gateways[0];
  const metricsUrl = stack.healthUrl('gateway');
  const admin = await Management.login(stack.management, stack.admin);
  const signedUrl = (await signedWorkspace(admin, gateway, allowList(0))).presignedUrl;
  const bareUrl = `${bare.url}/customers/c1`;
  for (let i = 0; i < 100 && (await fetch(signedUrl)).status !== 200; i += 1) await sleep(50);

  /** Alternating bare / signed rounds after a warm-up; the signed/bare ratio per round. */
  const measure = async () => {
    await wrk(bareUrl, { seconds: 2, connections });
    await wrk(signedUrl, { seconds: 2, connections });
    const runs = { bare: [], signed: [] };
    for (let i = 0; i < rounds; i += 1) {
      runs.bare.push(await wrk(bareUrl, { seconds, connections }));
      runs.signed.push(await wrk(signedUrl, { seconds, connections }));
    }
    if (runs.signed.some((r) => r.non2xx > 0)) throw new Error('signed requests were refused');
    const ratios = runs.signed.map((r, i) => r.requestsPerSecond / runs.bare[i].requestsPerSecond);
    return {
      bareRequestsPerSecond: Math.round(median(runs.bare.map((r) => r.requestsPerSecond))),
      signedRequestsPerSecond: Math.round(median(runs.signed.map((r) => r.requestsPerSecond))),
      signedP99Ms: round(median(runs.signed.map((r) => r.p99Ms))),
      ratiosPerRound: ratios.map((r) => round(r)),
      ratio: round(median(ratios)),
    };
  };

  // one workspace: start-up, memory, throughput
  await stack.process('gateway').stop();
  let started = performance.now();
  await stack.restart('gateway');
  const small = { readyAfterMs: Math.round(performance.now() - started) };
  small.rssMiBAtReady = round(rssMiB(stack.gatewayPid(0)), 1);
  small.load = await measure();
  small.rssMiBAfterLoad = round(rssMiB(stack.gatewayPid(0)), 1);

  // 10,000 workspaces, 100,000 keys, straight into the buckets
  nc = await connect({ servers: natsUrl });
  const kvm = new Kvm(nc);
  const bucket = (name) => kvm.open(`${stack.prefix}_${name}`);
  const fillStarted = performance.now();
  const id = (i) => `scale-${String(i).padStart(5, '0')}`;
  await putAll(await bucket('workspaces'), workspaces, (i) => [
    id(i),
    {
      id: id(i),
      name: `Scale ${i}`,
      modules: { ipFilter: true, signatureCheck: true, asyncEvents: false },
    },
  ]);
  await putAll(await bucket('ip_filters'), workspaces, (i) => [
    id(i),
    { workspaceId: id(i), apis: { customer: allowList(i + 1) }, revision: 1 },
  ]);
  await putAll(await bucket('signature_enforcement'), workspaces, (i) => [
    id(i),
    { workspaceId: id(i), apis: ['customer'], revision: 1 },
  ]);
  await putAll(await bucket('api_keys'), keys, (i) => [
    `lek_scale${String(i).padStart(20, '0')}`,
    { workspaceId: id(i % workspaces), status: 'active', version: 1 },
  ]);
  const fillSeconds = round((performance.now() - fillStarted) / 1000, 1);

  await stack.process('gateway').stop();
  started = performance.now();
  await stack.restart('gateway');
  const large = { readyAfterMs: Math.round(performance.now() - started) };
  large.rssMiBAtReady = round(rssMiB(stack.gatewayPid(0)), 1);
  large.appliedAtStart = await appliedChanges(metricsUrl);
  large.load = await measure();
  large.rssMiBAfterLoad = round(rssMiB(stack.gatewayPid(0)), 1);
  const expected = { workspaces: workspaces + 1, ip_filters: workspaces + 1, api_keys: keys + 1 };
  for (const [name, count] of Object.entries(expected)) {
    if ((large.appliedAtStart[name] ?? 0) < count) {
      throw new Error(
        `the gateway applied ${large.appliedAtStart[name]} ${name} records, not ${count}`,
      );
    }
  }

  const relative = round(large.load.ratio / small.load.ratio);
  const result = writeResult('gateway-scale', {
    size: { workspaces, ipEntriesPerWorkspace: 100, apiKeys: keys, fillSeconds },
    load: { tool: 'wrk 4.1 (-t1)', connections, seconds, rounds },
    oneWorkspace: small,
    scaled: large,
    signedRatioScaledToOne: relative,
    targets: {
      signedThroughputWithin10Percent: {
        value: relative,
        target: TARGET,
        met: relative >= TARGET,
        by: round(relative - TARGET),
      },
    },
  });
  process.stdout.write(`${JSON.stringify({ ...result, machine: undefined }, null, 2)}\n`);
} finally {
  await nc?.close();
  stopChildren();
  await stack?.shutdown();
}
