import { randomBytes } from 'node:crypto';
import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { AuditEvents, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { ensureStream, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { PolicyStore } from '../src/policies/policy-store.js';
import { OAuthWorld } from './support/oauth-world.js';

const LIMIT = 200;
const prefix = uniquePrefix();
let upstream: Server;
let link: NatsLink;
let replicas: RunningService[] = [];
let urls: string[] = [];

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

async function putKey(workspaceId: string): Promise<string> {
  const apiKey = `lek_${randomBytes(18).toString('base64url')}`;
  const record: ApiKeyRecord = { workspaceId, status: 'active', version: 1 };
  await kvPut(await openBucket(link, KV_BUCKETS.apiKeys), apiKey, record);
  await within(2000, () =>
    Promise.resolve(
      replicas.every((r) => r.app.get(PolicyStore, { strict: false }).apiKeys.has(apiKey)),
    ),
  );
  return apiKey;
}

async function putWorkspace(id: string, requestsPerMinute?: number): Promise<void> {
  const record: WorkspaceRecord = {
    id,
    name: id,
    modules: { ipFilter: false, signatureCheck: false, asyncEvents: false },
    ...(requestsPerMinute === undefined ? {} : { rateLimit: { requestsPerMinute } }),
  };
  await kvPut(await openBucket(link, KV_BUCKETS.workspaces), id, record);
  await within(2000, () =>
    Promise.resolve(
      replicas.every(
        (r) =>
          r.app.get(PolicyStore, { strict: false }).workspaces.get(id)?.rateLimit
            ?.requestsPerMinute === requestsPerMinute,
      ),
    ),
  );
}

/** `count` GETs with one key, alternating between the replicas, `concurrency` at a time. */
async function flood(apiKey: string, count: number, concurrency = 16): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const url = urls[next % urls.length] ?? '';
      next += 1;
      const response = await fetch(`${url}/customers/c1?api_key=${apiKey}`);
      answers.push({
        status: response.status,
        headers: response.headers,
        body: await response.text(),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

async function failedCalls(): Promise<FailedCallEvent[]> {
  const jsm = await jetstreamManager(link.connection);
  const stream = link.name(STREAMS.audit.name);
  const info = await jsm.streams.info(stream);
  const events: FailedCallEvent[] = [];
  for (let seq = 1; seq <= info.state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (message?.subject === link.subject(AuditEvents.failedCall.subject)) {
      events.push(message.json<FailedCallEvent>());
    }
  }
  return events;
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const env = serviceEnv(prefix, {
    GATEWAY_PORT: '0',
    UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    RATE_LIMIT_DEFAULT_PER_MINUTE: String(LIMIT),
  });
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  await ensureStream(link, STREAMS.audit);
  // two replicas in this process, on the same NATS and prefix: they share the budgets
  replicas = [
    await runService(gatewayApp(loadConfig(env))),
    await runService(gatewayApp(loadConfig(env))),
  ];
  urls = replicas.map((replica) => replica.app.get(DataPlane).url);
});

afterAll(async () => {
  await link.close();
  for (const replica of replicas) await replica.close();
  await new Promise((resolve) => upstream.close(resolve));
  await cleanUp(prefix);
});

describe('rate limits shared by two gateway replicas', () => {
  it('admits about the limit in total across both replicas, not the limit at each', async () => {
    await putWorkspace('ws-default');
    const apiKey = await putKey('ws-default');
    const answers = await flood(apiKey, 2 * LIMIT);
    const admitted = answers.filter((a) => a.status === 200).length;
    console.log(`two replicas, limit ${LIMIT}: ${admitted} of ${answers.length} admitted`);
    expect(admitted).toBeGreaterThanOrEqual(LIMIT - 5);
    expect(admitted).toBeLessThanOrEqual(LIMIT + 5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(answers.length - admitted);

    const ok = answers.find((a) => a.status === 200);
    expect(ok?.headers.get('ratelimit-limit')).toBe(String(LIMIT));
    expect(Number(ok?.headers.get('ratelimit-remaining'))).toBeLessThan(LIMIT);
    expect(Number(ok?.headers.get('ratelimit-reset'))).toBeGreaterThanOrEqual(1);
    for (const refused of answers.filter((a) => a.status === 429)) {
      expect(JSON.parse(refused.body)).toEqual({
        error: { type: 'TooManyRequestsException', code: 110429, message: 'Rate limit exceeded' },
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(refused.headers.get('ratelimit-remaining')).toBe('0');
    }
  });

  it('records each refusal as a failed call and counts it by API', async () => {
    await within(3000, async () =>
      (await failedCalls()).some((event) => event.reason === 'rate_limited'),
    );
    const event = (await failedCalls()).find((e) => e.reason === 'rate_limited');
    expect(event).toMatchObject({
      workspaceId: 'ws-default',
      api: 'customer',
      response: { status: 429 },
    });
    expect(event?.request.url).not.toMatch(/api_key=lek_/);
    const metrics = await Promise.all(
      replicas.map(async (r) => (await fetch(`${r.url}/metrics`)).text()),
    );
    const refused = metrics.map((text) =>
      Number(/gateway_rate_limited_total\{api="customer"\} (\d+)/.exec(text)?.[1] ?? 0),
    );
    expect(refused[0]! + refused[1]!).toBeGreaterThan(0);
    expect(metrics.join('\n')).toMatch(/gateway_rate_limit_peers 1/);
  });

  it("applies a workspace's own figure from its KV record, and none at 0", async () => {
    await putWorkspace('ws-small', 20);
    const small = await flood(await putKey('ws-small'), 60, 4);
    const admitted = small.filter((a) => a.status === 200).length;
    expect(admitted).toBeGreaterThanOrEqual(19);
    expect(admitted).toBeLessThanOrEqual(21);

    await putWorkspace('ws-off', 0);
    const off = await flood(await putKey('ws-off'), 2 * LIMIT + 50);
    expect(off.every((a) => a.status === 200)).toBe(true);
    expect(off[0]?.headers.get('ratelimit-limit')).toBeNull();
  });

  it('does not count unauthenticated requests against anyone', async () => {
    await putWorkspace('ws-quiet', 5);
    const apiKey = await putKey('ws-quiet');
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        fetch(`${urls[i % 2] ?? ''}/customers/c1?api_key=lek_nope`),
      ),
    );
    const answers = await flood(apiKey, 5, 1);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200]);
  });
});

describe('rate limits of auth clients (Bearer)', () => {
  const world = new OAuthWorld();

  beforeAll(async () => {
    await world.start({ RATE_LIMIT_DEFAULT_PER_MINUTE: '3' });
  });

  afterAll(async () => {
    await world.stop();
  });

  it('counts each auth client on its own', async () => {
    const [first, second] = [await world.addClient('ws-b1'), await world.addClient('ws-b1')];
    const call = async (token: string): Promise<number> =>
      (
        await fetch(`${world.url}/v1/async/events`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: '{"customer":"c1","action":"opt_in","data":{}}',
        })
      ).status;
    const token = world.sign(world.claims(first));
    const statuses: number[] = [];
    for (let i = 0; i < 5; i += 1) statuses.push(await call(token));
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    // a new token of the same client counts against the same budget; another client has its own
    expect(await call(world.sign(world.claims(first)))).toBe(429);
    expect(await call(world.sign(world.claims(second)))).toBe(200);
  });
});
