import { randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { DATABASE_APPS } from '@loyalty-edge/contracts';
import { within } from '@loyalty-edge/testing';
import {
  AdminChanges,
  auditedFailures,
  byProbe,
  decisions,
  logCounts,
  send,
  settledLog,
  Traffic,
  type Answer,
  type Outcome,
  type Probe,
} from './support/fault-traffic.js';
import {
  acceptedAsyncEvents,
  asyncEventStatuses,
  FAULT_ENV,
  setUpFaultWorkspace,
  standardProbes,
  tokenRequest,
  type FaultWorkspace,
} from './support/fault-workspace.js';
import { PgProxy } from './support/pg-proxy.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Fault: PostgreSQL goes away (a TCP proxy between every service and the shared server drops
// every connection and refuses new ones) while requests flow through two gateway replicas and
// an admin works in the management API, then comes back. The gateway keeps deciding from
// memory; what needs a database answers 503 in its envelope, quickly; /readyz of every
// database service says not ready; once PostgreSQL is back, everything recovers without a
// restart, and the failed calls of the outage reach the errors log.

const CUT_MS = Number(process.env.FAULT_PG_OUTAGE_MS ?? 5000);
/** The longest a request may take while PostgreSQL is away. */
const ANSWER_BOUND_MS = 5000;

/** Probes the gateway answers from memory (the upstream of accepted ones needs no database). */
const FROM_MEMORY = new Set([
  'api_key',
  'Escher',
  'api_key on an enforced API',
  'unknown api_key',
  'forged Bearer',
]);

let proxy: PgProxy;
let upstream: http.Server;
let platform: TestPlatform;
let workspace: FaultWorkspace;

beforeAll(async () => {
  proxy = await PgProxy.start(process.env.DATABASE_URL ?? '');
  // an upstream that needs no database, so accepted requests show the gateway's own decision
  upstream = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"offers":[]}'),
  );
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const { port } = upstream.address() as AddressInfo;
  platform = await startTestPlatform({
    extraGateways: 1,
    databaseUrl: proxy.url,
    env: { ...FAULT_ENV, UPSTREAMS: `offers=http://127.0.0.1:${port}` },
  });
  workspace = await setUpFaultWorkspace(platform, 'fault-pg', '/offers/current');
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
  await (proxy as PgProxy | undefined)?.close();
  await new Promise((resolve) => (upstream as http.Server | undefined)?.close(resolve));
});

const envelope = (answer: Answer): unknown => {
  try {
    return (JSON.parse(answer.body) as { error?: { type?: unknown } }).error?.type;
  } catch {
    return undefined;
  }
};

async function ready(label: string): Promise<number> {
  return (await send(platform.healthUrl(label), { method: 'GET', path: '/readyz' }, 3000)).status;
}

describe('fault: PostgreSQL stopped', () => {
  it('answers 503 where a database is needed, keeps the gateway serving, and recovers without a restart', async () => {
    const tag = `fp${randomBytes(3).toString('hex')}`;
    const pids = platform.processes.map((child) => child);
    const loyalty = (name: string, expected: number, path: string): Probe => ({
      name,
      expected,
      audited: true,
      request: () => ({ method: 'GET', path: `${path}?api_key=${workspace.apiKey}` }),
    });
    const token: Probe = {
      name: 'token endpoint',
      expected: 200,
      audited: true,
      request: () => tokenRequest(workspace.client),
    };
    const probes = [
      ...standardProbes(workspace, '/offers/current'),
      loyalty('api_key at the loyalty backend', 200, '/customers/-/count'),
      token,
    ];
    const traffic = new Traffic(platform.gateways, probes, { tag }).start();
    const admin = new AdminChanges(
      platform.management,
      workspace.adminToken,
      [
        {
          name: 'rate limit',
          write: (n) => ({
            method: 'PUT',
            path: `/api/workspaces/${workspace.id}/rate-limit`,
            body: { requestsPerMinute: 100_000 + n },
          }),
        },
      ],
      { tag, intervalMs: 300 },
    ).start();

    await sleep(2000);
    const cut = performance.now();
    await proxy.cut();
    // every database service says it is not ready; the gateways stay ready
    const notReady = await Promise.all(
      DATABASE_APPS.map((label) =>
        within(5000, async () => (await ready(label)) === 503).then(() => performance.now() - cut),
      ),
    );
    for (const gateway of ['gateway', 'gateway-2']) expect(await ready(gateway)).toBe(200);
    // the management API: 503 in its envelope, within the bound, for reads and writes alike
    const management: { answer: Answer; ms: number }[] = [];
    for (const request of [
      { method: 'GET', path: `/api/workspaces/${workspace.id}` },
      { method: 'GET', path: `/api/workspaces/${workspace.id}/errors` },
      {
        method: 'PUT',
        path: `/api/workspaces/${workspace.id}/rate-limit`,
        body: JSON.stringify({ requestsPerMinute: 1000 }),
      },
    ]) {
      const started = performance.now();
      const answer = await send(platform.management, {
        ...request,
        headers: {
          authorization: `Bearer ${workspace.adminToken}`,
          'content-type': 'application/json',
        },
      });
      management.push({ answer, ms: performance.now() - started });
    }
    const login = await send(platform.management, {
      method: 'POST',
      path: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: platform.admin.email, password: platform.admin.password }),
    });
    await sleep(Math.max(0, CUT_MS - (performance.now() - cut)));
    const restored = performance.now();
    await proxy.restore();
    const recovered = await Promise.all(
      DATABASE_APPS.map((label) =>
        within(20_000, async () => (await ready(label)) === 200).then(
          () => performance.now() - restored,
        ),
      ),
    );
    await within(10_000, async () => {
      const answer = await send(platform.management, {
        method: 'GET',
        path: `/api/workspaces/${workspace.id}`,
        headers: { authorization: `Bearer ${workspace.adminToken}` },
      });
      return answer.status === 200;
    });
    const managementBack = performance.now() - restored;
    await sleep(2000);
    const outcomes = await traffic.stop();
    const changes = await admin.stop();

    // by design: what needs a database answers 503 (never 500) while it is away
    const dbAway = (outcome: Outcome): boolean =>
      outcome.doneAt >= cut && outcome.sentAt <= restored + Math.max(...recovered) + 1000;
    const verdict = decisions(
      outcomes,
      (outcome) =>
        outcome.status === 503 && !FROM_MEMORY.has(outcome.probe.name) && dbAway(outcome),
    );
    const slow = outcomes.filter((outcome) => outcome.doneAt - outcome.sentAt > ANSWER_BOUND_MS);
    const changesOk = changes.filter((change) => change.status >= 200 && change.status < 300);
    const changesBad = changes.filter(
      (change) => !changesOk.includes(change) && change.status !== 503,
    );
    const failedCalls = await settledLog(
      () => logCounts(platform.management, workspace.adminToken, workspace.id, 'errors', tag),
      auditedFailures(outcomes),
      30_000,
      new Set(outcomes.filter((o) => !o.probe.audited).map((o) => o.requestId)),
    );
    const changeLog = await settledLog(
      () =>
        logCounts(platform.management, workspace.adminToken, workspace.id, 'audit/changes', tag),
      changesOk.map((change) => change.requestId),
      30_000,
    );
    const accepted = acceptedAsyncEvents(outcomes);
    const asyncStatuses = await asyncEventStatuses(
      platform.gateways[0] ?? '',
      workspace,
      accepted,
      20_000,
    );
    const refusedAsync = outcomes.filter(
      (o) => o.probe.name === 'Bearer' && o.status === 503,
    ).length;
    const ms = (values: number[]): string => `${Math.max(...values).toFixed(0)} ms`;
    console.log(
      `fault: PostgreSQL stopped — ${outcomes.length} requests over 2 gateways, ` +
        `${verdict.wronglyAdmitted.length} wrongly admitted, ${verdict.wronglyRefused.length} wrongly refused, ` +
        `${failedCalls.expected + changeLog.expected} audit events expected, ${failedCalls.stored + changeLog.stored} stored, ` +
        `${failedCalls.lost.length + changeLog.lost.length} lost, ${failedCalls.duplicated + changeLog.duplicated} duplicated, ` +
        `outage ${((restored - cut) / 1000).toFixed(1)} s (${proxy.dropped} connections dropped); ` +
        `management API 503 in ${ms(management.map((m) => m.ms))} at most, readyz not ready within ${ms(notReady)}, ` +
        `all ready again ${ms(recovered)} after PostgreSQL was back (no restart); ` +
        `by design ${verdict.excused.length} requests needing a database answered 503 ` +
        `(${refusedAsync} async events refused, ${accepted.length} accepted: ${JSON.stringify(asyncStatuses)})`,
    );

    expect(management.map(({ answer }) => [answer.status, envelope(answer)])).toEqual(
      management.map(() => [503, 'ServiceUnavailableException']),
    );
    expect([login.status, envelope(login)]).toEqual([503, 'ServiceUnavailableException']);
    expect(Math.max(...management.map((m) => m.ms))).toBeLessThan(ANSWER_BOUND_MS);
    expect({
      wronglyAdmitted: byProbe(verdict.wronglyAdmitted),
      wronglyRefused: byProbe(verdict.wronglyRefused),
      unanswered: byProbe(verdict.unanswered),
      slow: byProbe(slow),
      changesBad,
    }).toEqual({
      wronglyAdmitted: {},
      wronglyRefused: {},
      unanswered: {},
      slow: {},
      changesBad: [],
    });
    expect(failedCalls).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(changeLog).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(asyncStatuses).toEqual({ processed: accepted.length });
    expect(managementBack).toBeLessThan(20_000);
    // recovered in place: the same processes, none restarted
    expect(platform.processes.every((child, i) => child === pids[i] && child.running)).toBe(true);
  });
});
