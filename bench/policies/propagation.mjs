// Propagation: how long after a management API call returns each of three gateway replicas
// enforces the change. Four kinds, each repeated: API key regenerate (the old key is refused),
// IP allow-list (flips between admitting and refusing the client), signature enforcement (flips
// plain api_key between admitted and refused), auth-client revoke (its live token is refused).
// Every replica is polled with the request whose answer must flip, concurrently, on keep-alive
// connections; a sample is the time from the call's answer to the first poll answer that shows
// the change (also kept from the moment the call was sent).
//
//   node tools/build.mjs --no-web && node bench/policies/propagation.mjs
//   (BENCH_QUICK=1: 20 changes of each kind; BENCH_CHANGES overrides)
import http from 'node:http';
import {
  Management,
  freePort,
  median,
  percentile,
  platform as startPlatform,
  quick,
  round,
  startNode,
  stopChildren,
  tokenFor,
  waitFor,
  writeResult,
} from '../lib/common.mjs';

const changes = Number(process.env.BENCH_CHANGES ?? (quick ? 20 : 1000));
const TARGET_P99_MS = 50;
const GIVE_UP_MS = 5000;
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });

/** One request over a keep-alive connection; resolves to the status. */
function status(base, path, { method = 'GET', headers = {}, body } = {}) {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method, path, headers, agent },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Per replica, from `since`: `wait`, when the first answer showing `expected` arrived (what a
 * client sees: the change plus one poll's round trip), and `staleSent`, when the last poll that
 * still got the old answer was sent (0 when the first poll already showed the change). The change
 * reached the replica between the two; under load a poll's round trip alone is many
 * milliseconds, so `wait` is an upper bound and `staleSent` a lower one.
 */
function untilEveryReplica(gateways, probe, expected, since) {
  return Promise.all(
    gateways.map(async (gateway) => {
      let staleSent = 0;
      let stale = 0;
      for (;;) {
        const sent = performance.now();
        const answer = await probe(gateway);
        const now = performance.now();
        if (answer === expected) return { wait: now - since, staleSent, stale };
        staleSent = sent - since;
        stale += 1;
        if (now - since > GIVE_UP_MS) throw new Error(`${gateway} still answers ${answer}`);
      }
    }),
  );
}

/** Runs `change` n times; each returns [sent, returned, per replica what untilEveryReplica found]. */
async function measure(n, change) {
  const fromReturn = [];
  const fromSent = [];
  const lowerBound = [];
  const callMs = [];
  let firstPollShowed = 0;
  for (let i = 0; i < n; i += 1) {
    const { sent, returned, waits } = await change(i);
    callMs.push(returned - sent);
    for (const { wait, staleSent, stale } of waits) {
      fromReturn.push(wait);
      fromSent.push(wait + (returned - sent));
      lowerBound.push(Math.max(0, staleSent));
      if (stale === 0) firstPollShowed += 1;
    }
  }
  const stats = (list) => ({
    p50Ms: round(percentile(list, 50), 2),
    p99Ms: round(percentile(list, 99), 2),
    maxMs: round(Math.max(...list), 2),
  });
  return {
    changes: n,
    samples: fromReturn.length,
    fromReturn: stats(fromReturn),
    lastStaleSent: stats(lowerBound),
    firstPollShowedChange: round(firstPollShowed / fromReturn.length, 3),
    fromSent: stats(fromSent),
    managementCallMs: { p50: round(median(callMs), 2), p99: round(percentile(callMs, 99), 2) },
  };
}

const upstreamPort = await freePort();
let stack;
try {
  startNode('bench/gateway/upstream.mjs', { PORT: String(upstreamPort) });
  await waitFor(`http://127.0.0.1:${upstreamPort}/`);
  stack = await startPlatform({
    extraGateways: 2,
    env: {
      UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${upstreamPort}`,
      RATE_LIMIT_DEFAULT_PER_MINUTE: '1000000000',
    },
  });
  const { gateways } = stack;
  const admin = await Management.login(stack.management, stack.admin);
  const results = {};

  // API key regenerate: the previous key is refused at every replica
  await admin.ok('POST', '/api/workspaces', { id: 'keys', name: 'Keys' });
  let key = (await admin.ok('POST', '/api/workspaces/keys/credentials')).body.apiKey;
  await untilEveryReplica(
    gateways,
    (g) => status(g, `/customers/c1?api_key=${key}`),
    200,
    performance.now(),
  );
  results.apiKeyRegenerate = await measure(changes, async () => {
    const old = key;
    const sent = performance.now();
    key = (await admin.ok('POST', '/api/workspaces/keys/credentials')).body.apiKey;
    const returned = performance.now();
    const waits = await untilEveryReplica(
      gateways,
      (g) => status(g, `/customers/c1?api_key=${old}`),
      401,
      returned,
    );
    return { sent, returned, waits };
  });

  // IP allow-list: alternately without and with the client's address
  await admin.ok('POST', '/api/workspaces', { id: 'ips', name: 'IPs' });
  const ipKey = (await admin.ok('POST', '/api/workspaces/ips/credentials')).body.apiKey;
  await admin.switchModules('ips', { ipFilter: true });
  const listPath = '/api/workspaces/ips/ip-filter/customer';
  let listTag = await admin.etag(listPath);
  results.ipAllowList = await measure(changes, async (i) => {
    const admit = i % 2 === 1;
    const entries = admit ? ['10.0.0.1', '127.0.0.1'] : ['10.0.0.1'];
    const sent = performance.now();
    const reply = await admin.ok('PUT', listPath, { entries }, { 'if-match': listTag });
    const returned = performance.now();
    listTag = reply.headers.get('etag') ?? (await admin.etag(listPath));
    const waits = await untilEveryReplica(
      gateways,
      (g) => status(g, `/customers/c1?api_key=${ipKey}`),
      admit ? 200 : 403,
      returned,
    );
    return { sent, returned, waits };
  });

  // signature enforcement: plain api_key alternately refused and admitted
  await admin.ok('POST', '/api/workspaces', { id: 'enf', name: 'Enforcement' });
  const enfKey = (await admin.ok('POST', '/api/workspaces/enf/credentials')).body.apiKey;
  await admin.switchModules('enf', { signatureCheck: true });
  const enfPath = '/api/workspaces/enf/signature-enforcement';
  let enfTag = await admin.etag(enfPath);
  results.signatureEnforcement = await measure(changes, async (i) => {
    const on = i % 2 === 0;
    const sent = performance.now();
    const reply = await admin.ok(
      'PUT',
      enfPath,
      { apis: on ? ['customer'] : [] },
      { 'if-match': enfTag },
    );
    const returned = performance.now();
    enfTag = reply.headers.get('etag') ?? (await admin.etag(enfPath));
    const waits = await untilEveryReplica(
      gateways,
      (g) => status(g, `/customers/c1?api_key=${enfKey}`),
      on ? 401 : 200,
      returned,
    );
    return { sent, returned, waits };
  });

  // auth-client revoke: each client made (and its token issued) just before it is revoked, as a
  // workspace holds at most 50 active clients
  await admin.ok('POST', '/api/workspaces', { id: 'tok', name: 'Tokens' });
  await admin.switchModules('tok', { asyncEvents: true });
  const event = JSON.stringify({ customer: 'c1', action: 'opt_in', data: {} });
  const bearer = (token) => (g) =>
    status(g, '/v1/async/events', {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: event,
    });
  const freshClient = async () => {
    const client = await admin.createClient('tok');
    for (let attempt = 0; ; attempt += 1) {
      try {
        client.token = await tokenFor(gateways[0], client);
        return client;
      } catch (error) {
        if (attempt > 100) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    }
  };
  results.authClientRevoke = await measure(changes, async () => {
    const client = await freshClient();
    await untilEveryReplica(gateways, bearer(client.token), 200, performance.now());
    const sent = performance.now();
    await admin.ok('POST', `/api/workspaces/tok/auth-clients/${client.clientId}/revoke`);
    const returned = performance.now();
    const waits = await untilEveryReplica(gateways, bearer(client.token), 401, returned);
    return { sent, returned, waits };
  });

  const kinds = Object.values(results);
  const result = writeResult('policy-propagation', {
    replicas: gateways.length,
    changesPerKind: changes,
    method:
      'each replica polled concurrently with the request whose answer flips; time from the management call answering (fromReturn) or being sent (fromSent) to the first poll answer showing the change; lastStaleSent: when the last poll that still got the old answer was sent (0 when the first poll after the answer already showed the change), a lower bound; firstPollShowedChange: share of samples where it did',
    kinds: results,
    targets: {
      p99FromReturnMs: {
        value: Math.max(...kinds.map((k) => k.fromReturn.p99Ms)),
        target: TARGET_P99_MS,
        met: kinds.every((k) => k.fromReturn.p99Ms < TARGET_P99_MS),
        by: round(TARGET_P99_MS - Math.max(...kinds.map((k) => k.fromReturn.p99Ms)), 2),
      },
    },
  });
  process.stdout.write(`${JSON.stringify({ kinds: results, targets: result.targets }, null, 2)}\n`);
} finally {
  agent.destroy();
  stopChildren();
  await stack?.shutdown();
}
