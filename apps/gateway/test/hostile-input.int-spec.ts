import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type OutgoingHttpHeaders, type Server } from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { jetstreamManager } from '@nats-io/jetstream';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import {
  AuditEvents,
  FAILED_CALL_LIMITS,
  type FailedCallEvent,
} from '@loyalty-edge/audit-contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { ensureStream, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

/**
 * What hostile callers send the gateway: probes that used to keep a failed call out of the
 * errors log, paths an upstream would resolve elsewhere, spoofed routing headers, odd request
 * lines and drip-fed bodies. Raw sockets where fetch would tidy the request up.
 */
interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

const prefix = uniquePrefix();
const seen: Seen[] = [];
const apiKey = `lek_${randomBytes(18).toString('base64url')}`;
let upstream: Server;
let gateway: RunningService;
let port = 0;
let link: NatsLink;

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One request on its own connection, the path sent exactly as given. */
function send(
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: options.method ?? 'GET',
        path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Bytes written as they are on a new connection; what came back once it closed (or after 3 s). */
function raw(text: string): Promise<{ text: string; closed: boolean }> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(text, 'latin1'));
    let out = '';
    const timer = setTimeout(() => {
      socket.destroy();
      resolve({ text: out, closed: false });
    }, 3000);
    socket.on('data', (chunk: Buffer) => (out += chunk.toString('latin1')));
    socket.on('close', () => {
      clearTimeout(timer);
      resolve({ text: out, closed: true });
    });
    socket.on('error', () => undefined);
  });
}

const envelopeOf = (text: string): unknown => JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4));

async function failedCalls(): Promise<FailedCallEvent[]> {
  const jsm = await jetstreamManager(link.connection);
  const stream = link.name(STREAMS.audit.name);
  const info = await jsm.streams.info(stream);
  const events: FailedCallEvent[] = [];
  for (let seq = 1; seq <= info.state.last_seq; seq += 1) {
    const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
    if (message?.subject === link.subject(AuditEvents.failedCall.subject))
      events.push(message.json<FailedCallEvent>());
  }
  return events;
}

async function failedCall(requestId: string): Promise<FailedCallEvent> {
  let found: FailedCallEvent | undefined;
  await within(3000, async () => {
    found = (await failedCalls()).find((event) => event.requestId === requestId);
    return found !== undefined;
  });
  if (!found) throw new Error(`no failed call ${requestId}`);
  return found;
}

/** Control characters the errors log must not hold raw (PostgreSQL refuses NUL in jsonb). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function expectWithinAuditLimits(event: FailedCallEvent): void {
  const { request, response } = event;
  expect(request.url.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.url);
  for (const headers of [request.headers, response.headers]) {
    const entries = Object.entries(headers);
    expect(entries.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.headers);
    for (const [name, value] of entries) {
      expect(name.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.headerName);
      expect(value.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.headerValue);
      expect(CONTROL.test(name) || CONTROL.test(value)).toBe(false);
    }
  }
  for (const text of [request.url, request.body, response.body]) {
    expect(text.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.body);
    expect(CONTROL.test(text)).toBe(false);
  }
}

beforeAll(async () => {
  upstream = http.createServer((req, res) => {
    if (req.url?.startsWith('/customers/early')) {
      // answers before the body has arrived
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"early":true}');
      req.resume();
      return;
    }
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/customers/probe')) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not\u0000found\u001b[31m');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const env = serviceEnv(prefix, {
    GATEWAY_PORT: '0',
    UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
    BODY_TIMEOUT_MS: '600',
  });
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  await ensureStream(link, STREAMS.audit);
  await kvPut(await openBucket(link, KV_BUCKETS.apiKeys), apiKey, {
    workspaceId: 'ws-hostile',
    status: 'active',
    version: 1,
  } satisfies ApiKeyRecord);
  gateway = await runService(gatewayApp(loadConfig(env)));
  port = Number(new URL(gateway.app.get(DataPlane).url).port);
  await within(2000, async () => (await send(`/customers/1?api_key=${apiKey}`)).status === 200);
});

afterAll(async () => {
  await link.close();
  await gateway.close();
  await new Promise((resolve) => upstream.close(resolve));
  await cleanUp(prefix);
});

describe('failed calls of hostile requests', () => {
  it('publishes failed calls within the audit limits, marked truncated, for the four probes', async () => {
    const key = `api_key=${apiKey}`;
    await send(`/customers/probe-url?${key}&pad=${'a'.repeat(9000)}`, {
      headers: { 'x-request-id': 'probe-url' },
    });
    const many: OutgoingHttpHeaders = { 'x-request-id': 'probe-headers' };
    for (let i = 0; i < 300; i += 1) many[`x-h-${i}`] = 'v';
    await send(`/customers/probe-headers?${key}`, { headers: many });
    await send(`/customers/probe-name?${key}`, {
      headers: { 'x-request-id': 'probe-name', [`x-${'n'.repeat(300)}`]: 'v' },
    });
    await send(`/customers/probe-nul?${key}`, {
      method: 'POST',
      headers: { 'x-request-id': 'probe-nul', 'content-type': 'text/plain' },
      body: 'a\u0000b\u001bc\td',
    });

    const url = await failedCall('probe-url');
    expectWithinAuditLimits(url);
    expect(url.request.url.startsWith('/customers/probe-url?api_key=[REDACTED]&pad=aaa')).toBe(
      true,
    );
    expect(url.request.truncated).toEqual(['url']);

    const headers = await failedCall('probe-headers');
    expectWithinAuditLimits(headers);
    expect(Object.keys(headers.request.headers)).toHaveLength(FAILED_CALL_LIMITS.headers);
    expect(headers.request.truncated).toEqual(['headers']);

    const name = await failedCall('probe-name');
    expectWithinAuditLimits(name);
    expect(Object.keys(name.request.headers).some((n) => n.startsWith('x-nnnn'))).toBe(true);
    expect(name.request.truncated).toEqual(['headers']);

    const nul = await failedCall('probe-nul');
    expectWithinAuditLimits(nul);
    expect(nul.request.body).toBe('a\\u0000b\\u001bc\td');
    expect(nul.response.body).toBe('not\\u0000found\\u001b[31m');
    expect(nul.request.truncated).toBeUndefined();
    expect(nul.response.status).toBe(404);
  });
});

describe('paths an upstream would resolve elsewhere', () => {
  it('refuses encoded, double-encoded and matrix-parameter dot segments before any upstream sees them', async () => {
    const before = seen.length;
    for (const path of [
      '/customers/..%2Fevents',
      '/customers/%2e%2e%2fevents',
      '/customers/%252e%252e%252fevents',
      '/customers/..;/events',
      '/customers/%2e%2e;/events',
      '/customers/a%2F..%2F..%2Fevents',
      '/customers/..%5cevents',
      '/customers/%c0%ae%c0%ae/events',
      '/%65vents',
    ]) {
      const reply = await send(`${path}?api_key=${apiKey}`);
      expect([path, reply.status, JSON.parse(reply.body)]).toEqual([
        path,
        400,
        {
          error: { type: 'BadRequestException', code: 110402, message: 'Invalid request path' },
        },
      ]);
    }
    expect(seen.length).toBe(before);
    // an encoded slash that stays inside the API is passed on as it came
    expect((await send(`/customers/a%2Fb?api_key=${apiKey}`)).status).toBe(200);
    expect(seen.at(-1)?.url).toBe('/customers/a%2Fb');
    const refusal = (await failedCalls()).find((e) => e.request.url.startsWith('/%65vents'));
    expect(refusal?.reason).toBe('unsafe_path');
  });
});

describe('headers a client may not send through', () => {
  it('strips every client-sent x-le-* header and the URL and method override headers', async () => {
    const reply = await send(`/customers/strip?api_key=${apiKey}`, {
      headers: {
        'x-le-workspace-id': 'someone-else',
        'x-le-client-id': 'lec_forged',
        'x-le-role': 'operator',
        'x-original-url': '/admin',
        'x-rewrite-url': '/admin',
        'x-http-method-override': 'DELETE',
        'x-http-method': 'DELETE',
        'x-method-override': 'DELETE',
        'x-lead': 'kept',
      },
    });
    expect(reply.status).toBe(200);
    const headers = seen.find((s) => s.url === '/customers/strip')?.headers ?? {};
    expect(headers['x-le-workspace-id']).toBe('ws-hostile');
    expect(headers['x-le-auth-method']).toBe('api_key');
    expect(headers['x-lead']).toBe('kept');
    for (const name of [
      'x-le-client-id',
      'x-le-role',
      'x-original-url',
      'x-rewrite-url',
      'x-http-method-override',
      'x-http-method',
      'x-method-override',
    ]) {
      expect([name, headers[name]]).toEqual([name, undefined]);
    }
  });
});

describe('request lines and Host headers that could confuse routing', () => {
  it('refuses a second Host header, or a list of hosts, with 400 in the envelope', async () => {
    const before = seen.length;
    for (const hosts of ['Host: a.example\r\nHost: b.example', 'Host: a.example, b.example']) {
      const reply = await raw(
        `GET /customers/1?api_key=${apiKey} HTTP/1.1\r\n${hosts}\r\nConnection: close\r\n\r\n`,
      );
      expect(reply.text.startsWith('HTTP/1.1 400 ')).toBe(true);
      expect(envelopeOf(reply.text)).toEqual({
        error: { type: 'BadRequestException', code: 100400, message: 'Invalid Host header' },
      });
    }
    expect(seen.length).toBe(before);
    expect((await failedCalls()).filter((e) => e.reason === 'duplicate_host')).toHaveLength(2);
  });

  it('answers HTTP/0.9 and HTTP/2.0 request lines, absolute- and asterisk-form targets, CONNECT and bad header bytes as documented', async () => {
    const before = seen.length;
    const key = `api_key=${apiKey}`;
    // HTTP/0.9 (no version): node parses it; the gateway refuses it and closes
    const http09 = await raw(`GET /customers/1?${key}\r\n\r\n`);
    expect(http09.text.startsWith('HTTP/1.1 400 ')).toBe(true);
    expect(envelopeOf(http09.text)).toMatchObject({ error: { code: 100400 } });
    expect(http09.closed).toBe(true);
    const http2 = await raw(`GET /customers/1?${key} HTTP/2.0\r\nHost: a\r\n\r\n`);
    expect(http2.text.startsWith('HTTP/1.1 400 ')).toBe(true);
    expect(http2.closed).toBe(true);
    // absolute-form and asterisk-form: no path to route
    for (const target of [`http://127.0.0.1:${port}/customers/1?${key}`, '*']) {
      const reply = await raw(
        `OPTIONS ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`,
      );
      expect(reply.text.startsWith('HTTP/1.1 400 ')).toBe(true);
      expect(envelopeOf(reply.text)).toMatchObject({ error: { code: 110402 } });
    }
    // CONNECT: node hands it to a 'connect' listener; there is none, so the socket closes
    const connect = await raw('CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example\r\n\r\n');
    expect(connect).toEqual({ text: '', closed: true });
    // NUL or control bytes in a header value, raw bytes over 0x7f in the target: node's parser
    // answers 400 itself (no envelope) and closes
    for (const text of [
      `GET /customers/1?${key} HTTP/1.1\r\nHost: a\r\nX-A: b\u0000c\r\n\r\n`,
      `GET /customers/\u00e9?${key} HTTP/1.1\r\nHost: a\r\n\r\n`,
    ]) {
      const reply = await raw(text);
      expect(reply.text).toBe('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    }
    expect(seen.length).toBe(before);
    const reasons = (await failedCalls()).map((e) => e.reason);
    expect(reasons).toContain('unsupported_http_version');
    expect(reasons).toContain('invalid_request_target');
  });
});

describe('drip-fed bodies', () => {
  /** Sends `length` bytes one every 100 ms; resolves with the answer and when the socket closed. */
  function drip(path: string, length: number) {
    return new Promise<{ status: number; body: string; closedAfterMs: number }>((resolve) => {
      const started = Date.now();
      let status = 0;
      let body = '';
      const req = http.request({
        host: '127.0.0.1',
        port,
        method: 'POST',
        path,
        headers: { 'content-type': 'application/json', 'content-length': length },
        agent: false,
      });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < length && !req.destroyed) {
          req.write('x');
          sent += 1;
        } else clearInterval(timer);
      }, 100);
      req.on('response', (res) => {
        status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
      });
      req.on('error', () => undefined);
      req.on('close', () => {
        clearInterval(timer);
        resolve({ status, body, closedAfterMs: Date.now() - started });
      });
    });
  }

  it('answers 408 in the envelope once BODY_TIMEOUT_MS has passed, and records it', async () => {
    const before = seen.length;
    const reply = await drip(`/customers/drip?api_key=${apiKey}`, 50);
    expect(reply.status).toBe(408);
    expect(JSON.parse(reply.body)).toEqual({
      error: {
        type: 'RequestTimeoutException',
        code: 100408,
        message: 'The request body did not arrive in time',
      },
    });
    expect(reply.closedAfterMs).toBeLessThan(2500);
    expect(seen.length).toBe(before);
    const event = (await failedCalls()).find((e) => e.request.url.startsWith('/customers/drip'));
    expect(event).toMatchObject({ reason: 'body_timeout', response: { status: 408 } });
  }, 15_000);

  it('closes the connection when the upstream has already answered', async () => {
    const reply = await drip(`/customers/early?api_key=${apiKey}`, 50);
    expect(reply.status).toBe(200);
    expect(reply.closedAfterMs).toBeLessThan(2500);
    await within(3000, async () =>
      (await failedCalls()).some(
        (e) => e.request.url.startsWith('/customers/early') && e.reason === 'body_timeout',
      ),
    );
  }, 15_000);
});
