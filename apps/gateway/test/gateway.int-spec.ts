import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { AuditEvents, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { ensureStream, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const prefix = uniquePrefix();
const seen: Seen[] = [];
/** Requests each upstream connection has received. */
const requestsOnSocket = new WeakMap<object, number>();
/** The next request on a reused connection is dropped unanswered (an upstream restarting). */
let dropNextReused = false;
let upstream: Server;
let upstreamUrl: string;
let gateway: RunningService;
let gatewayUrl: string;
let link: NatsLink;

/** What the credentials service publishes for a key; written here directly. */
async function putKey(
  workspaceId: string,
  status: ApiKeyRecord['status'] = 'active',
  apiKey = `lek_${randomBytes(18).toString('base64url')}`,
): Promise<{ apiKey: string }> {
  const bucket = await openBucket(link, KV_BUCKETS.apiKeys);
  await kvPut(bucket, apiKey, { workspaceId, status, version: 1 } satisfies ApiKeyRecord);
  return { apiKey };
}

function startUpstream(): Promise<void> {
  upstream = http.createServer((req, res) => {
    const count = (requestsOnSocket.get(req.socket) ?? 0) + 1;
    requestsOnSocket.set(req.socket, count);
    if (dropNextReused && count > 1) {
      dropNextReused = false;
      req.socket.destroy();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/customers/slow')) return; // never answers: timeout
      const status = req.url?.startsWith('/customers/missing') ? 404 : 200;
      res.writeHead(status, { 'content-type': 'application/json', connection: 'keep-alive' });
      res.end(
        JSON.stringify(
          status === 404
            ? { error: { type: 'NotFoundException', code: 160212, message: 'Customer not found' } }
            : { ok: true },
        ),
      );
    });
  });
  return new Promise((resolve) => upstream.listen(0, '127.0.0.1', resolve));
}

beforeAll(async () => {
  await startUpstream();
  upstreamUrl = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  const env = serviceEnv(prefix, {
    GATEWAY_PORT: '0',
    UPSTREAM_DEFAULT_URL: upstreamUrl,
    UPSTREAMS: 'events=http://127.0.0.1:1',
    UPSTREAM_TIMEOUT_MS: '300',
    BODY_LIMIT_BYTES: '2048',
  });
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  // the audit service owns the stream; here the test stands in for it
  await ensureStream(link, STREAMS.audit);
  gateway = await runService(gatewayApp(loadConfig(env)));
  gatewayUrl = gateway.app.get(DataPlane).url;
});

afterAll(async () => {
  await link.close();
  await gateway.close();
  await new Promise((resolve) => upstream.close(resolve));
  await cleanUp(prefix);
});

async function failedCalls(): Promise<FailedCallEvent[]> {
  const jsm = await jetstreamManager(link.connection);
  const stream = `${prefix}_${STREAMS.audit.name}`;
  const info = await jsm.streams.info(stream);
  const events: FailedCallEvent[] = [];
  for (let seq = 1; seq <= info.state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (message?.subject === link.subject(AuditEvents.failedCall.subject))
      events.push(message.json<FailedCallEvent>());
  }
  return events;
}

describe('gateway', () => {
  it('is ready once the policies are synced', async () => {
    const ready = await fetch(`${gatewayUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      checks: { policies: true },
    });
  });

  it('refuses unknown keys and missing credentials in the envelope', async () => {
    const unknown = await fetch(`${gatewayUrl}/customers/1?api_key=lek_nope`);
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({
      error: { type: 'UnauthorizedException', code: 110401, message: 'Invalid API key' },
    });
    const missing = await fetch(`${gatewayUrl}/customers/1`);
    expect(missing.status).toBe(401);
    const notFound = await fetch(`${gatewayUrl}/nowhere?api_key=x`);
    expect(notFound.status).toBe(404);
  });

  it('forwards with the workspace, without credentials or spoofed trusted headers', async () => {
    const pair = await putKey('ws-fwd');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`)).status === 200,
    );
    seen.length = 0;
    const response = await fetch(`${gatewayUrl}/customers/42?x=1&api_key=${pair.apiKey}&y=2`, {
      headers: {
        'x-le-workspace-id': 'evil',
        'x-request-id': 'req-123',
        authorization: 'Basic abc',
      },
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-request-id')).toBe('req-123');
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/customers/42?x=1&y=2' });
    expect(seen[0]?.headers['x-le-workspace-id']).toBe('ws-fwd');
    expect(seen[0]?.headers['x-request-id']).toBe('req-123');
    expect(seen[0]?.headers.authorization).toBeUndefined();
  });

  it('takes the key from a form body and forwards the body without it', async () => {
    const pair = await putKey('ws-form');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`)).status === 200,
    );
    seen.length = 0;
    const response = await fetch(`${gatewayUrl}/customers/form`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `a=1&api_key=${pair.apiKey}&b=2`,
    });
    expect(response.status).toBe(200);
    expect(seen[0]?.body).toBe('a=1&b=2');
  });

  it('refuses the old key at once after regenerate', async () => {
    const old = await putKey('ws-regen');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${old.apiKey}`)).status === 200,
    );
    await putKey('ws-regen', 'inactive', old.apiKey);
    const fresh = await putKey('ws-regen');
    const elapsed = await within(
      1000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${old.apiKey}`)).status === 401,
    );
    expect(elapsed).toBeLessThan(1000);
    expect((await fetch(`${gatewayUrl}/customers/1?api_key=${fresh.apiKey}`)).status).toBe(200);
  });

  it('admits an old key during the overlap its record names, and refuses it once that ends', async () => {
    const old = await putKey('ws-overlap');
    const fresh = await putKey('ws-overlap');
    const validUntil = new Date(Date.now() + 1500).toISOString();
    const bucket = await openBucket(link, KV_BUCKETS.apiKeys);
    await kvPut(bucket, old.apiKey, {
      workspaceId: 'ws-overlap',
      status: 'inactive',
      version: 1,
      validUntil,
    } satisfies ApiKeyRecord);
    const call = async (apiKey: string): Promise<number> =>
      (await fetch(`${gatewayUrl}/customers/1?api_key=${apiKey}`)).status;
    await within(1000, async () => (await call(fresh.apiKey)) === 200);
    expect(await call(old.apiKey)).toBe(200);
    // no record change at the end: the gateway reads the time itself
    await new Promise((resolve) => setTimeout(resolve, Date.parse(validUntil) - Date.now() + 50));
    expect(await call(old.apiKey)).toBe(401);
    expect(await call(fresh.apiKey)).toBe(200);
  });

  it('answers 502, 504 and 413 in the envelope', async () => {
    const pair = await putKey('ws-errors');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`)).status === 200,
    );
    const down = await fetch(`${gatewayUrl}/events?api_key=${pair.apiKey}`, {
      method: 'POST',
      body: '{}',
    });
    expect(down.status).toBe(502);
    expect(await down.json()).toMatchObject({
      error: { type: 'BadGatewayException', code: 110502 },
    });
    const slow = await fetch(`${gatewayUrl}/customers/slow?api_key=${pair.apiKey}`);
    expect(slow.status).toBe(504);
    const big = await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`, {
      method: 'POST',
      body: 'x'.repeat(4096),
    });
    expect(big.status).toBe(413);
  });

  it('sends an idempotent request once more when a reused upstream connection drops it', async () => {
    const pair = await putKey('ws-reuse');
    const get = () => fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`);
    await within(2000, async () => (await get()).status === 200);
    const before = seen.length;
    dropNextReused = true;
    const retried = await get();
    expect(retried.status).toBe(200);
    expect(dropNextReused).toBe(false);
    expect(seen.length - before).toBe(1);

    // a streamed body cannot be sent again: 502
    expect((await get()).status).toBe(200);
    dropNextReused = true;
    const post = await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":1}',
    });
    expect(dropNextReused).toBe(false);
    expect(post.status).toBe(502);
  });

  it('stops a chunked body at the limit too', async () => {
    const { apiKey } = await putKey('ws-chunked');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${apiKey}`)).status === 200,
    );
    seen.length = 0;
    const url = new URL(`${gatewayUrl}/customers/chunked?api_key=${apiKey}`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'POST',
          path: `${url.pathname}${url.search}`,
          agent: false,
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      for (let i = 0; i < 8; i += 1) req.write('x'.repeat(512));
      req.end();
    });
    expect(status).toBe(413);
    expect(
      seen.find((s) => s.url.startsWith('/customers/chunked'))?.body.length ?? 0,
    ).toBeLessThanOrEqual(2048);
  });

  it('records failed calls redacted, gateway refusals and upstream errors alike', async () => {
    const pair = await putKey('ws-log');
    await within(
      2000,
      async () => (await fetch(`${gatewayUrl}/customers/1?api_key=${pair.apiKey}`)).status === 200,
    );
    const body = JSON.stringify({ customer: 'c1', data: { profile: { password: 'hunter2' } } });
    await fetch(`${gatewayUrl}/customers/missing?api_key=${pair.apiKey}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    await fetch(`${gatewayUrl}/customers/1?api_key=lek_unknown`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    let events: FailedCallEvent[] = [];
    await within(2000, async () => {
      events = await failedCalls();
      return (
        events.some((e) => e.reason === 'upstream') &&
        events.some((e) => e.reason === 'unknown_key')
      );
    });
    const upstreamError = events.find((e) => e.reason === 'upstream' && e.workspaceId === 'ws-log');
    expect(upstreamError?.response.status).toBe(404);
    expect(upstreamError?.response.body).toContain('Customer not found');
    expect(upstreamError?.request.url).toBe('/customers/missing?api_key=[REDACTED]');
    expect(upstreamError?.request.body).toContain('[REDACTED]');
    expect(JSON.stringify(events)).not.toContain('hunter2');
    expect(JSON.stringify(events)).not.toContain(pair.apiKey);
  });

  it('serves the request metrics by decision on the metrics port', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(
      /gateway_requests_total\{api="customer",status_class="4xx",decision="unauthenticated"\} \d+/,
    );
    expect(text).toContain('gateway_audit_events_dropped_total 0');
    expect(text).toMatch(/gateway_policy_watch_lag_seconds_count\{bucket="api_keys"\} [1-9]/);
  });
});
