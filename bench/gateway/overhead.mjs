// Gateway overhead: one upstream behind (a) nginx as a plain keep-alive reverse proxy with one
// worker, (b) the bare Node proxy, (c) the gateway with `api_key`, (d) the gateway with a presigned
// Escher GET on an API with a 100-entry IP allow-list and signature enforcement on, (e) the
// gateway with a Bearer JWT on the Async Events API, compared with (b-POST), the bare proxy given
// the same POST. The whole platform runs as processes; the gateway's policies come from the
// services through KV as in production. Load from wrk in its own process; the rounds alternate
// (a, b, c, d, b-POST, e, a, b, ...) and medians are taken. Then (b) and (d)
// at half of (b)'s maximum rate, alternating, for the latency the gateway adds.
//
//   node tools/build.mjs --no-web && node bench/gateway/overhead.mjs
//   (BENCH_QUICK=1: shorter runs; BENCH_SECONDS, BENCH_ROUNDS, BENCH_CONNECTIONS override)
import {
  Management,
  freePort,
  luaScript,
  median,
  quick,
  round,
  startNginx,
  stopChildren,
  tokenFor,
  waitFor,
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

requireCommands(['wrk', 'nginx']);

const { seconds, rounds, connections } = loadSettings({ fullRounds: 5 });
const latencyRounds = quick ? 1 : 3;
const TARGETS = { apiKey: 0.85, signed: 0.8, addedP99Ms: 2 };

/** 99 addresses and ranges that are not the client, and the client (127.0.0.1) last. */
function allowList() {
  const entries = [];
  for (let i = 0; i < 80; i += 1) entries.push(`10.${i}.${(i * 7) % 256}.${(i * 13) % 256}`);
  for (let i = 0; i < 19; i += 1) entries.push(`192.168.${i}.0/24`);
  entries.push('127.0.0.1');
  return entries;
}

let stack;
try {
  const { upstreamPort, bare } = await startUpstreamAndBareProxy();
  const nginxPort = await freePort();
  const nginx = await startNginx(nginxPort, upstreamPort);
  stack = await startGatewayPlatform(upstreamPort);
  const gateway = stack.gateways[0];
  const gatewayPid = stack.gatewayPid(0);
  const admin = await Management.login(stack.management, stack.admin);

  // (c) a workspace with plain api_key access
  await admin.ok('POST', '/api/workspaces', { id: 'plain', name: 'Plain' });
  const plainKey = (await admin.ok('POST', '/api/workspaces/plain/credentials')).body.apiKey;
  // (d) a workspace with the IP filter (100 entries) and signature enforcement on the Customer API
  const signed = await signedWorkspace(admin, gateway, allowList());
  // (e) a workspace with the Async Events module and an auth client
  await admin.ok('POST', '/api/workspaces', { id: 'async', name: 'Async' });
  await admin.switchModules('async', { asyncEvents: true });
  const client = await admin.createClient('async');
  await waitFor(`${gateway}/customers/c1?api_key=${plainKey}`, 5000);
  const token = await tokenFor(gateway, client);

  const asyncBody = JSON.stringify({ customer: 'c1', action: 'opt_in', data: { source: 'bench' } });
  // (e)'s baseline: the same POST through the bare proxy (the upstream answers any path)
  const barePostScript = luaScript('bare-post', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: asyncBody,
  });
  const bearerScript = luaScript('bearer', {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: asyncBody,
  });

  const scenarios = {
    nginx: {
      url: `http://127.0.0.1:${nginxPort}/customers/c1?api_key=${plainKey}`,
      pids: { proxy: nginx.pid },
    },
    bare: {
      url: `${bare.url}/customers/c1?api_key=${plainKey}`,
      pids: { proxy: bare.pid },
    },
    apiKey: { url: `${gateway}/customers/c1?api_key=${plainKey}`, pids: { proxy: gatewayPid } },
    signed: { url: signed.presignedUrl, pids: { proxy: gatewayPid } },
    barePost: {
      url: `${bare.url}/v1/async/events`,
      script: barePostScript,
      pids: { proxy: bare.pid },
    },
    bearer: {
      url: `${gateway}/v1/async/events`,
      script: bearerScript,
      pids: { proxy: gatewayPid },
    },
  };
  // each setup must answer 200 before it is measured; the refused variants must be refused
  for (const [name, { url, script }] of Object.entries(scenarios)) {
    const probe = await wrk(url, { seconds: 1, connections: 1, script });
    if (probe.non2xx > 0 || probe.requests === 0)
      throw new Error(`${name}: ${probe.non2xx} non-2xx answers`);
  }
  const plainOnSigned = await fetch(`${gateway}/customers/c1?api_key=${signed.credentials.apiKey}`);
  if (plainOnSigned.status !== 401)
    throw new Error(`enforcement is not on: ${plainOnSigned.status}`);

  // warm-up (JIT, keep-alive pools), then alternating rounds
  for (const { url, script } of Object.values(scenarios))
    await wrk(url, { seconds: quick ? 1 : 3, connections, script });
  const runs = Object.fromEntries(Object.keys(scenarios).map((name) => [name, []]));
  for (let i = 0; i < rounds; i += 1) {
    for (const [name, { url, script, pids }] of Object.entries(scenarios)) {
      runs[name].push(await wrk(url, { seconds, connections, script, cpuPids: pids }));
    }
  }
  const ratios = (name) =>
    runs[name].map((run, i) => round(run.requestsPerSecond / runs.bare[i].requestsPerSecond));
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, list]) => [
      name,
      {
        requestsPerSecond: Math.round(median(list.map((r) => r.requestsPerSecond))),
        p50Ms: round(median(list.map((r) => r.p50Ms))),
        p99Ms: round(median(list.map((r) => r.p99Ms))),
        cpuMicrosPerRequest: round(median(list.map((r) => r.cpuMicrosPerRequest.proxy)), 1),
        ratioToBare: round(
          median(list.map((r, i) => r.requestsPerSecond / runs.bare[i].requestsPerSecond)),
        ),
        ratiosPerRound: ratios(name),
        // POSTs compare with the bare proxy's POST of the same body, round by round
        ...(name === 'bearer' && {
          ratioToBarePost: round(
            median(list.map((r, i) => r.requestsPerSecond / runs.barePost[i].requestsPerSecond)),
          ),
          cpuMicrosOverBarePost: round(
            median(
              list.map(
                (r, i) => r.cpuMicrosPerRequest.proxy - runs.barePost[i].cpuMicrosPerRequest.proxy,
              ),
            ),
            1,
          ),
        }),
        non2xx: list.reduce((sum, r) => sum + r.non2xx, 0),
      },
    ]),
  );

  // latency at half of the bare proxy's maximum rate: wrk with a fixed delay before each request
  // on each connection (wrk counts it in whole milliseconds), the number of connections
  // calibrated once on the bare proxy so the offered rate is close to the target
  const targetRate = Math.round(summary.bare.requestsPerSecond / 2);
  const delayMs = 10;
  const pacedScript = luaScript('paced', { delayMs });
  const first = Math.max(1, Math.round((targetRate * delayMs) / 1000));
  const calibration = await wrk(scenarios.bare.url, {
    seconds: 2,
    connections: first,
    script: pacedScript,
  });
  const perRequestMs = (first * 1000) / calibration.requestsPerSecond - delayMs;
  const paced = Math.max(
    1,
    Math.round((targetRate * (delayMs + Math.max(0, perRequestMs))) / 1000),
  );
  const latency = { bare: [], signed: [] };
  for (let i = 0; i < latencyRounds; i += 1) {
    for (const name of ['bare', 'signed']) {
      latency[name].push(
        await wrk(scenarios[name].url, { seconds, connections: paced, script: pacedScript }),
      );
    }
  }
  const addedP99 = latency.signed.map((run, i) => run.p99Ms - latency.bare[i].p99Ms);
  const halfRate = {
    targetRequestsPerSecond: targetRate,
    connections: paced,
    delayMsPerRequest: delayMs,
    achieved: {
      bare: Math.round(median(latency.bare.map((r) => r.requestsPerSecond))),
      signed: Math.round(median(latency.signed.map((r) => r.requestsPerSecond))),
    },
    p50Ms: {
      bare: round(median(latency.bare.map((r) => r.p50Ms))),
      signed: round(median(latency.signed.map((r) => r.p50Ms))),
    },
    p99Ms: {
      bare: round(median(latency.bare.map((r) => r.p99Ms))),
      signed: round(median(latency.signed.map((r) => r.p99Ms))),
    },
    addedP99MsPerRound: addedP99.map((v) => round(v)),
    addedP99Ms: round(median(addedP99)),
    runs: latency,
  };

  const verdict = (value, target, higherIsBetter = true) => ({
    value,
    target,
    met: higherIsBetter ? value >= target : value <= target,
    by: round(higherIsBetter ? value - target : target - value),
  });
  const result = writeResult('gateway-overhead', {
    load: { tool: 'wrk 4.1 (-t1)', connections, seconds, rounds, order: Object.keys(scenarios) },
    requests: {
      nginx: 'GET /customers/c1?api_key=… through nginx 1.22 (one worker, keep-alive upstream)',
      bare: 'GET /customers/c1?api_key=… through bench/gateway/bare-proxy.mjs',
      apiKey: 'GET /customers/c1?api_key=… (workspace without IP filter or enforcement)',
      signed:
        'presigned Escher GET /customers/c1 (X-Antavo-* query), 100-entry IP allow-list, enforcement on',
      barePost:
        'POST /v1/async/events, the same 66-byte JSON body, through bench/gateway/bare-proxy.mjs',
      bearer: 'POST /v1/async/events with a Bearer JWT (ES256), 66-byte JSON body',
    },
    upstream: 'bench/gateway/upstream.mjs: 200 with 70 bytes of JSON',
    summary,
    halfRate,
    targets: {
      apiKeyRatio: verdict(summary.apiKey.ratioToBare, TARGETS.apiKey),
      signedRatio: verdict(summary.signed.ratioToBare, TARGETS.signed),
      signedAddedP99Ms: verdict(halfRate.addedP99Ms, TARGETS.addedP99Ms, false),
    },
    runs,
  });
  process.stdout.write(
    `${JSON.stringify({ summary, halfRate: { ...halfRate, runs: undefined }, targets: result.targets }, null, 2)}\n`,
  );
} finally {
  stopChildren();
  await stack?.shutdown();
}
