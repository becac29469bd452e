import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  auditedFailures,
  byProbe,
  decisions,
  logCounts,
  send,
  settledLog,
  Traffic,
  type Answer,
  type Probe,
} from './support/fault-traffic.js';
import {
  FAULT_ENV,
  setUpFaultWorkspace,
  standardProbes,
  type FaultWorkspace,
} from './support/fault-workspace.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Fault: one of two gateway replicas killed (SIGKILL) while requests flow through both. The
// other keeps serving; the requests in flight on the killed one fail at the client (counted)
// and nothing else is lost: every failed call either replica answered, the killed one's
// included, is in the errors log. Started again, the replica serves nothing before it has
// synced its policies: its first answer is already the right one.

const SLOW_MS = 300;

let platform: TestPlatform;
let workspace: FaultWorkspace;
let upstream: http.Server;

beforeAll(async () => {
  // a slow upstream API, so that some requests are always in flight when the replica dies
  upstream = http.createServer((_req, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"offers":[]}');
    }, SLOW_MS);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  platform = await startTestPlatform({
    extraGateways: 1,
    env: { ...FAULT_ENV, UPSTREAMS: `offers=http://127.0.0.1:${port}` },
  });
  workspace = await setUpFaultWorkspace(platform, 'fault-gw');
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
  await new Promise((resolve) => (upstream as http.Server | undefined)?.close(resolve));
});

/**
 * Asks the restarting replica's data port, every few milliseconds until stopped, for a known
 * key, an unknown key and /readyz: what it answers from the first accepted connection on.
 */
function watch(gateway: string): { stop: () => Promise<{ at: number; round: Answer[] }[]> } {
  const answers: { at: number; round: Answer[] }[] = [];
  const state = { stopping: false };
  const loop = (async () => {
    while (!state.stopping) {
      const round = await Promise.all([
        send(gateway, { method: 'GET', path: `/customers/-/count?api_key=${workspace.apiKey}` }),
        send(gateway, { method: 'GET', path: '/customers/-/count?api_key=lek_fault_unknown' }),
        send(gateway, { method: 'GET', path: '/readyz' }),
      ]);
      if (round.some((answer) => answer.status !== 0))
        answers.push({ at: performance.now(), round });
      await sleep(5);
    }
  })();
  return {
    stop: async () => {
      state.stopping = true;
      await loop;
      return answers;
    },
  };
}

describe('fault: one gateway replica killed', () => {
  it('keeps serving on the other, loses only what was in flight, and syncs before serving again', async () => {
    const tag = `fg${randomBytes(3).toString('hex')}`;
    const slow: Probe = {
      name: `api_key, upstream answering in ${SLOW_MS} ms`,
      expected: 200,
      audited: true,
      request: () => ({ method: 'GET', path: `/offers/slow?api_key=${workspace.apiKey}` }),
    };
    const traffic = new Traffic(platform.gateways, [...standardProbes(workspace), slow], {
      tag,
      workers: 6,
    }).start();
    const killedGateway = 1;
    await sleep(2000);
    const killed = performance.now();
    // the load balancer takes it out of rotation as its health check fails
    traffic.route([0]);
    await platform.process('gateway-2').kill('SIGKILL');
    await sleep(2000);
    const watcher = watch(platform.gateways[killedGateway] ?? '');
    const restarting = performance.now();
    await platform.restart('gateway-2');
    const back = performance.now();
    await sleep(500);
    const firstAnswers = await watcher.stop();
    traffic.route([0, 1]);
    await sleep(2000);
    const outcomes = await traffic.stop();

    const inFlight = outcomes.filter(
      (o) => o.gateway === killedGateway && o.status === 0 && o.sentAt < killed,
    );
    const verdict = decisions(outcomes, (o) => inFlight.includes(o));
    const servedByKilled = outcomes.filter(
      (o) => o.gateway === killedGateway && o.status !== 0 && o.sentAt < killed,
    ).length;
    const failedCalls = await settledLog(
      () => logCounts(platform.management, workspace.adminToken, workspace.id, 'errors', tag),
      auditedFailures(outcomes),
      30_000,
      new Set(outcomes.filter((o) => !o.probe.audited || o.status === 0).map((o) => o.requestId)),
    );
    const wrongFirst = firstAnswers.filter(
      ({ round: [known, unknown, readyz] }) =>
        (known?.status !== 0 && known?.status !== 200) ||
        (unknown?.status !== 0 && unknown?.status !== 401) ||
        (readyz?.status !== 0 && readyz?.status !== 200),
    );
    console.log(
      `fault: gateway replica killed — ${outcomes.length} requests over 2 gateways ` +
        `(${servedByKilled} answered by the killed replica before it died), ` +
        `${inFlight.length} in flight on it failed at the client, ` +
        `${verdict.wronglyAdmitted.length} wrongly admitted, ${verdict.wronglyRefused.length} wrongly refused, ` +
        `${failedCalls.expected} audit events expected, ${failedCalls.stored} stored, ` +
        `${failedCalls.lost.length} lost, ${failedCalls.duplicated} duplicated, ` +
        `replica down ${((restarting - killed) / 1000).toFixed(1)} s, ready ${((back - restarting) / 1000).toFixed(1)} s after its restart; ` +
        `${firstAnswers.length} probe rounds from its first connection on ` +
        `(the first ${(((firstAnswers[0]?.at ?? back) - restarting) / 1000).toFixed(1)} s after the restart), ${wrongFirst.length} answered before its policies were synced`,
    );

    expect({
      wronglyAdmitted: byProbe(verdict.wronglyAdmitted),
      wronglyRefused: byProbe(verdict.wronglyRefused),
      unanswered: byProbe(verdict.unanswered),
    }).toEqual({ wronglyAdmitted: {}, wronglyRefused: {}, unanswered: {} });
    expect(failedCalls).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(inFlight.length).toBeGreaterThan(0);
    expect(wrongFirst).toEqual([]);
    expect(firstAnswers.length).toBeGreaterThan(0);
    // the survivor carried the traffic while the other was away
    expect(
      outcomes.filter((o) => o.gateway === 0 && o.sentAt > killed && o.sentAt < back).length,
    ).toBeGreaterThan(50);
  });
});
