import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { PrivateNats } from './support/nats-server.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Fault: nats-server killed (SIGKILL) and started again on the same port and JetStream store
// while requests flow through two gateway replicas and an admin makes changes. The gateways
// must keep enforcing from memory, reconnect, and every audit event produced meanwhile (the
// failed calls this test causes, the admin changes that were answered 2xx) must reach the
// logs once NATS is back: none lost, none stored twice.

const OUTAGE_MS = Number(process.env.FAULT_NATS_OUTAGE_MS ?? 4000);

let nats: PrivateNats;
let platform: TestPlatform;
let workspace: FaultWorkspace;

beforeAll(async () => {
  nats = await PrivateNats.start();
  platform = await startTestPlatform({
    extraGateways: 1,
    natsUrl: nats.url,
    env: FAULT_ENV,
  });
  workspace = await setUpFaultWorkspace(platform, 'fault-nats');
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
  await (nats as PrivateNats | undefined)?.close();
});

async function natsConnected(metricsUrl: string): Promise<boolean> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return text.includes('gateway_nats_connected 1');
}

describe('fault: NATS restarted while traffic flows', () => {
  it('keeps enforcing at both gateways, reconnects, and loses no audit event', async () => {
    const tag = `fn${randomBytes(3).toString('hex')}`;
    // the token endpoint asks the token service over NATS: refused while NATS is away, by design
    const token: Probe = {
      name: 'token endpoint',
      expected: 200,
      audited: true,
      request: () => tokenRequest(workspace.client),
    };
    const traffic = new Traffic(platform.gateways, [...standardProbes(workspace), token], {
      tag,
    }).start();
    const admin = new AdminChanges(
      platform.management,
      workspace.adminToken,
      [
        {
          // management-api's own table (+ its outbox): works while NATS is away
          name: 'rate limit',
          write: (n) => ({
            method: 'PUT',
            path: `/api/workspaces/${workspace.id}/rate-limit`,
            body: { requestsPerMinute: 100_000 + n },
          }),
        },
        {
          // a request to the ip-filter service over NATS: refused while NATS is away, by design
          name: 'IP list',
          write: (n) => ({
            method: 'PUT',
            path: `/api/workspaces/${workspace.id}/ip-filter/offers`,
            body: { entries: [`10.${n % 250}.0.0/16`] },
            revisionFrom: `/api/workspaces/${workspace.id}/ip-filter/offers`,
          }),
        },
      ],
      { tag },
    ).start();

    await sleep(2000);
    const stopped = performance.now();
    await nats.stop();
    await sleep(OUTAGE_MS);
    await nats.start();
    const back = performance.now();
    const reconnected = await Promise.all(
      platform.gatewayMetrics.map((url) =>
        within(20_000, () => natsConnected(url)).then(() => performance.now() - back),
      ),
    );
    // the services behind NATS are back too once a token is issued and an IP list read again
    await within(20_000, async () => {
      const [issued, list] = await Promise.all([
        send(platform.gateways[0] ?? '', tokenRequest(workspace.client)),
        send(platform.management, {
          method: 'GET',
          path: `/api/workspaces/${workspace.id}/ip-filter/offers`,
          headers: { authorization: `Bearer ${workspace.adminToken}` },
        }),
      ]);
      return issued.status === 200 && list.status === 200;
    });
    const servicesBack = performance.now();
    await sleep(2000);
    const outcomes = await traffic.stop();
    const changes = await admin.stop();

    // by design: a token needs the token service; an IP list needs the ip-filter service
    const natsAway = (from: number, to: number): boolean => to >= stopped && from <= servicesBack;
    const verdict = decisions(
      outcomes,
      (outcome) =>
        outcome.probe === token &&
        outcome.status === 503 &&
        natsAway(outcome.sentAt, outcome.doneAt),
    );
    const changesOk = changes.filter((change) => change.status >= 200 && change.status < 300);
    const changesRefused = changes.filter((change) => !changesOk.includes(change));

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
    // async events accepted while NATS was away are queued by the backend's sweep afterwards
    const accepted = acceptedAsyncEvents(outcomes);
    const asyncStatuses = await asyncEventStatuses(
      platform.gateways[0] ?? '',
      workspace,
      accepted,
      20_000,
    );
    const seconds = (ms: number): string => (ms / 1000).toFixed(1);
    console.log(
      `fault: NATS restart — ${outcomes.length} requests over 2 gateways, ` +
        `${verdict.wronglyAdmitted.length} wrongly admitted, ${verdict.wronglyRefused.length} wrongly refused, ` +
        `${failedCalls.expected + changeLog.expected} audit events expected ` +
        `(${failedCalls.expected} failed calls, ${changeLog.expected} admin changes), ` +
        `${failedCalls.stored + changeLog.stored} stored, ` +
        `${failedCalls.lost.length + changeLog.lost.length} lost, ` +
        `${failedCalls.duplicated + changeLog.duplicated} duplicated, ` +
        `outage ${seconds(back - stopped)} s; gateways reconnected ${reconnected.map((ms) => `${ms.toFixed(0)} ms`).join(', ')} after NATS was back; ` +
        `by design ${verdict.excused.length} token requests answered 503 and ` +
        `${changesRefused.length} of ${changes.length} admin changes refused (IP lists need NATS); ` +
        `async events accepted ${accepted.length}: ${JSON.stringify(asyncStatuses)}`,
    );

    expect({
      wronglyAdmitted: byProbe(verdict.wronglyAdmitted),
      wronglyRefused: byProbe(verdict.wronglyRefused),
      unanswered: byProbe(verdict.unanswered),
    }).toEqual({ wronglyAdmitted: {}, wronglyRefused: {}, unanswered: {} });
    expect(asyncStatuses).toEqual({ processed: accepted.length });
    expect(failedCalls).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    expect(changeLog).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
    // the outage really was one: requests flowed through it, and NATS-bound ones were refused
    expect(outcomes.filter((o) => natsAway(o.sentAt, o.doneAt)).length).toBeGreaterThan(50);
    // refused: only IP lists asked for while NATS was away; and none of those applied later
    expect(
      changesRefused.filter(
        (change) =>
          !(
            change.name === 'IP list' &&
            change.status === 503 &&
            natsAway(change.sentAt, change.doneAt)
          ),
      ),
    ).toEqual([]);
    const lastList = changesOk.filter((change) => change.name === 'IP list').at(-1);
    const offers = await send(platform.management, {
      method: 'GET',
      path: `/api/workspaces/${workspace.id}/ip-filter/offers`,
      headers: { authorization: `Bearer ${workspace.adminToken}` },
    });
    const entries = (JSON.parse(offers.body) as { entries: { input: string }[] }).entries;
    expect(entries.map((entry) => entry.input)).toEqual([`10.${(lastList?.n ?? 0) % 250}.0.0/16`]);
    expect(
      changesOk.some(
        (change) => change.name === 'rate limit' && change.sentAt > stopped && change.sentAt < back,
      ),
    ).toBe(true);
  });
});
