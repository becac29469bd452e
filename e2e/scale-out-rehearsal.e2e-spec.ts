import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import {
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
import { ManagementClient } from './support/management.js';
import { NatsCluster } from './support/nats-cluster.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

// Scale-out rehearsal (docs/architecture.md §6 on one machine): a 3-node NATS cluster with
// JetStream, every stream and bucket with 3 replicas, three gateway replicas and one of each
// service, traffic through all three gateways. Then one NATS node (the JetStream meta leader)
// and one gateway replica die at once. The surviving replicas keep answering every request as a
// healthy platform would; an API key issued during the outage works on every live replica; the
// NATS node comes back and catches up; every failed call any replica answered reaches the
// errors log once.

let cluster: NatsCluster;
let platform: TestPlatform;
let workspace: FaultWorkspace;
let operator: ManagementClient;

beforeAll(async () => {
  cluster = await NatsCluster.start(3);
  platform = await startTestPlatform({
    extraGateways: 2,
    natsUrl: cluster.url,
    env: { ...FAULT_ENV, NATS_JS_REPLICAS: '3' },
  });
  workspace = await setUpFaultWorkspace(platform, 'scale-out');
  operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
});

afterAll(async () => {
  await (platform as TestPlatform | undefined)?.shutdown();
  await (cluster as NatsCluster | undefined)?.close();
});

const seconds = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;

/** Index of the node the cluster elected JetStream meta leader (le-e2e-<n>). */
async function metaLeader(): Promise<number> {
  for (let index = 0; index < cluster.size; index += 1) {
    if (!cluster.running(index)) continue;
    const res = await fetch(`${cluster.monitorUrl(index)}/jsz`);
    const leader = ((await res.json()) as { meta_cluster?: { leader?: string } }).meta_cluster
      ?.leader;
    const n = /le-e2e-(\d+)/.exec(leader ?? '')?.[1];
    if (n !== undefined) return Number(n) - 1;
  }
  throw new Error('no meta leader');
}

/** Until `probe` resolves true (checked every 20 ms); the time it took, or Infinity. */
async function timeUntil(probe: () => Promise<boolean>, ms: number): Promise<number> {
  const started = performance.now();
  while (performance.now() - started < ms) {
    if (await probe()) return performance.now() - started;
    await sleep(20);
  }
  return Number.POSITIVE_INFINITY;
}

describe('scale-out rehearsal: 3 NATS nodes, 3 gateways, one of each dies', () => {
  it('keeps serving, propagates policy changes, rejoins and loses no audit event', async () => {
    const streams = await cluster.streams(0, platform.prefix);
    expect(streams.length).toBeGreaterThanOrEqual(8);
    expect(streams.filter((s) => s.replicas !== 3)).toEqual([]);

    // a second workspace, without credentials yet: its key is issued during the outage
    const second = `scale-2-${randomBytes(2).toString('hex')}`;
    await operator.ok('POST', '/api/workspaces', { id: second, name: 'Scale-out second' });

    const tag = `so${randomBytes(3).toString('hex')}`;
    const traffic = new Traffic(platform.gateways, standardProbes(workspace), {
      tag,
      workers: 6,
    }).start();
    await sleep(2000);

    // the outage: the load balancer takes gateway 3 out as its health check fails, it dies; the
    // JetStream meta leader dies at the same moment
    const killedNats = await metaLeader();
    traffic.route([0, 1]);
    await sleep(300);
    const outage = performance.now();
    await Promise.all([platform.process('gateway-3').kill('SIGKILL'), cluster.kill(killedNats)]);

    // a policy change during the outage: new API credentials for the second workspace
    const issued = performance.now();
    const change = await operator.call<{ apiKey: string }>(
      'POST',
      `/api/workspaces/${second}/credentials`,
    );
    const answered = performance.now() - issued;
    expect(change.status).toBeLessThan(300);
    const apiKey = change.body.apiKey;
    const newKeyWorks = (gateway: string) => async (): Promise<boolean> =>
      (await send(gateway, { method: 'GET', path: `/customers/-/count?api_key=${apiKey}` }))
        .status === 200;
    const live = platform.gateways.slice(0, 2);
    const propagation = await Promise.all(
      live.map((gateway) => timeUntil(newKeyWorks(gateway), 15_000)),
    );
    await sleep(Math.max(0, 4000 - (performance.now() - outage)));

    // the NATS node comes back with its store and catches up with the others
    const restarting = performance.now();
    await cluster.startNode(killedNats);
    const others = [0, 1, 2].filter((index) => index !== killedNats);
    const caughtUp = await timeUntil(async () => {
      const mine = await cluster.streams(killedNats, platform.prefix);
      const theirs = await cluster.streams(others[0] ?? 0, platform.prefix);
      return (
        mine.length === theirs.length &&
        theirs.every((s) => mine.some((m) => m.name === s.name && m.lastSeq === s.lastSeq))
      );
    }, 30_000);
    const rejoined = performance.now() - restarting;
    // a replica that missed the change during the outage: does it get it once the node is back?
    const afterRejoin = await Promise.all(
      live.map((gateway, index) =>
        Number.isFinite(propagation[index])
          ? Promise.resolve(0)
          : timeUntil(newKeyWorks(gateway), 15_000),
      ),
    );
    await sleep(1500);
    const outcomes = await traffic.stop();

    const killedGateway = 2;
    const survivors = outcomes.filter((o) => o.gateway !== killedGateway);
    const verdict = decisions(survivors);
    const failedOnSurvivors =
      verdict.wronglyAdmitted.length + verdict.wronglyRefused.length + verdict.unanswered.length;
    const duringOutage = survivors.filter(
      (o) => o.sentAt >= outage && o.sentAt < restarting + rejoined,
    ).length;
    const answeredByKilled = outcomes.filter(
      (o) => o.gateway === killedGateway && o.status !== 0,
    ).length;
    const audit = await settledLog(
      () => logCounts(platform.management, workspace.adminToken, workspace.id, 'errors', tag),
      auditedFailures(outcomes),
      30_000,
      new Set(outcomes.filter((o) => !o.probe.audited || o.status === 0).map((o) => o.requestId)),
    );
    console.log(
      `scale-out rehearsal: ${streams.length} streams and buckets with 3 replicas; ` +
        `${outcomes.length} requests over 3 gateways (${answeredByKilled} answered by gateway 3 before it died), ` +
        `${survivors.length} to the 2 survivors (${duringOutage} while a NATS node was down): ` +
        `${failedOnSurvivors} failed (${verdict.wronglyRefused.length} wrongly refused, ` +
        `${verdict.wronglyAdmitted.length} wrongly admitted, ${verdict.unanswered.length} unanswered); ` +
        `NATS node ${killedNats + 1} (meta leader) and gateway 3 killed; ` +
        `credentials issued during the outage in ${seconds(answered)}, working on the live replicas ` +
        `${propagation.map((ms) => seconds(ms)).join(' / ')} after the answer` +
        `${afterRejoin.some((ms) => ms > 0) ? ` (a replica that missed it: ${afterRejoin.map((ms) => seconds(ms)).join(' / ')} after the node rejoined)` : ''}; ` +
        `NATS node back after ${seconds(restarting - outage)}, caught up ${seconds(caughtUp)} after its restart; ` +
        `audit events published ${audit.expected}, stored ${audit.stored}, lost ${audit.lost.length}, ` +
        `duplicated ${audit.duplicated}`,
    );

    expect({
      wronglyAdmitted: byProbe(verdict.wronglyAdmitted),
      wronglyRefused: byProbe(verdict.wronglyRefused),
      unanswered: byProbe(verdict.unanswered),
    }).toEqual({ wronglyAdmitted: {}, wronglyRefused: {}, unanswered: {} });
    expect(duringOutage).toBeGreaterThan(50);
    expect(propagation.every((ms) => Number.isFinite(ms))).toBe(true);
    expect(Number.isFinite(caughtUp)).toBe(true);
    expect(audit).toMatchObject({ lost: [], duplicated: 0, unexpected: [] });
  });
});
