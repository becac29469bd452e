import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  AdminChanges,
  auditedFailures,
  byProbe,
  decisions,
  logCounts,
  send,
  settledLog,
  Traffic,
} from './support/fault-traffic.js';
import {
  FAULT_ENV,
  setUpFaultWorkspace,
  standardProbes,
  type FaultWorkspace,
} from './support/fault-workspace.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Fault: the audit service killed (SIGKILL, batches in hand and all) for 30 s while requests
// flow through two gateway replicas and an admin makes changes, then started again by the
// launcher. JetStream keeps what the gateways and the management API publish meanwhile, the
// durable consumer resumes where it was acknowledged, and every failed call and admin change
// of the outage is in the logs afterwards, once.

const DOWN_MS = Number(process.env.FAULT_AUDIT_DOWN_MS ?? 30_000);

let platform: TestPlatform;
let workspace: FaultWorkspace;

beforeAll(async () => {
  platform = await startTestPlatform({ extraGateways: 1, env: FAULT_ENV });
  workspace = await setUpFaultWorkspace(platform, 'fault-audit');
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
});

describe('fault: the audit service down', () => {
  it('stores every failed call and admin change of the outage once it is back', async () => {
    const tag = `fa${randomBytes(3).toString('hex')}`;
    const traffic = new Traffic(platform.gateways, standardProbes(workspace), {
      tag,
      // a steady trickle over half a minute, not a load test
      pauseMs: 25,
    }).start();
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
      { tag, intervalMs: 500 },
    ).start();

    await sleep(2000);
    const killed = performance.now();
    await platform.process('audit').kill('SIGKILL');
    await sleep(1000);
    // reading the logs needs the audit service: the management API says so, at once
    const started = performance.now();
    const errorsView = await send(platform.management, {
      method: 'GET',
      path: `/api/workspaces/${workspace.id}/errors`,
      headers: { authorization: `Bearer ${workspace.adminToken}` },
    });
    const errorsViewMs = performance.now() - started;
    await sleep(Math.max(0, DOWN_MS - (performance.now() - killed)));
    const restarting = performance.now();
    await platform.restart('audit');
    const back = performance.now();
    await sleep(2000);
    const outcomes = await traffic.stop();
    const changes = await admin.stop();

    const verdict = decisions(outcomes);
    const changesOk = changes.filter((change) => change.status >= 200 && change.status < 300);
    const expected = auditedFailures(outcomes);
    const duringOutage = outcomes.filter(
      (o) => o.probe.audited && o.status >= 400 && o.sentAt > killed && o.sentAt < restarting,
    ).length;
    const failedCalls = await settledLog(
      () => logCounts(platform.management, workspace.adminToken, workspace.id, 'errors', tag),
      expected,
      30_000,
      new Set(outcomes.filter((o) => !o.probe.audited).map((o) => o.requestId)),
    );
    const changeLog = await settledLog(
      () =>
        logCounts(platform.management, workspace.adminToken, workspace.id, 'audit/changes', tag),
      changesOk.map((change) => change.requestId),
      30_000,
    );
    console.log(
      `fault: audit down — ${outcomes.length} requests over 2 gateways, ` +
        `${verdict.wronglyAdmitted.length} wrongly admitted, ${verdict.wronglyRefused.length} wrongly refused, ` +
        `${failedCalls.expected + changeLog.expected} audit events expected ` +
        `(${failedCalls.expected} failed calls, ${duringOutage} of them while audit was down; ${changeLog.expected} admin changes), ` +
        `${failedCalls.stored + changeLog.stored} stored, ` +
        `${failedCalls.lost.length + changeLog.lost.length} lost, ` +
        `${failedCalls.duplicated + changeLog.duplicated} duplicated, ` +
        `outage ${((restarting - killed) / 1000).toFixed(1)} s (audit ready ${((back - restarting) / 1000).toFixed(1)} s after its restart); ` +
        `the errors view answered ${errorsView.status} in ${errorsViewMs.toFixed(0)} ms while audit was down`,
    );

    expect({
      wronglyAdmitted: byProbe(verdict.wronglyAdmitted),
      wronglyRefused: byProbe(verdict.wronglyRefused),
      unanswered: byProbe(verdict.unanswered),
      adminRefused: changes.filter((change) => !changesOk.includes(change)),
    }).toEqual({ wronglyAdmitted: {}, wronglyRefused: {}, unanswered: {}, adminRefused: [] });
    expect(duringOutage).toBeGreaterThan(50);
    expect(failedCalls).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(changeLog).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(errorsView.status).toBe(503);
    expect(errorsViewMs).toBeLessThan(5000);
  });
});
