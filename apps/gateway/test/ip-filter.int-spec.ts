import http, { type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

const prefix = uniquePrefix();
const apiKey = 'lek_ipfiltertestkey000000000';
let upstream: Server;
let gateway: RunningService;
let port: number;
let link: NatsLink;

/** A request from a real socket bound to `from` (127.0.0.x or ::1). */
function call(
  from: string,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  const host = from.includes(':') ? '::1' : '127.0.0.1';
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host, port, path, localAddress: from, headers, agent: false },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function put(
  bucket: (typeof KV_BUCKETS)[keyof typeof KV_BUCKETS],
  key: string,
  value: unknown,
): Promise<void> {
  await kvPut(await openBucket(link, bucket), key, value);
}

beforeAll(async () => {
  upstream = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
  );
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const env = serviceEnv(prefix, {
    GATEWAY_PORT: '0',
    GATEWAY_HOST: '::',
    TRUSTED_PROXIES: '127.0.0.3',
    UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  });
  link = await NatsLink.open(loadConfig(env).common.nats, 'test');
  await put(KV_BUCKETS.apiKeys, apiKey, {
    workspaceId: 'ws-ip',
    status: 'active',
    version: 1,
  } satisfies ApiKeyRecord);
  await put(KV_BUCKETS.workspaces, 'ws-ip', {
    id: 'ws-ip',
    name: 'IP',
    modules: { ipFilter: false, signatureCheck: false, asyncEvents: false },
  } satisfies WorkspaceRecord);
  await put(KV_BUCKETS.ipFilters, 'ws-ip', {
    workspaceId: 'ws-ip',
    apis: { customer: ['192.168.1.2', '192.168.0.0/24', '127.0.0.2', '::1'] },
    revision: 1,
  } satisfies IpFilterRecord);
  gateway = await runService(gatewayApp(loadConfig(env)));
  port = Number(new URL(gateway.app.get(DataPlane).url.replace('::', '[::]')).port);
});

afterAll(async () => {
  await link.close();
  await gateway.close();
  await new Promise((resolve) => upstream.close(resolve));
  await cleanUp(prefix);
});

const path = `/customers/1?api_key=${apiKey}`;

describe('gateway IP filter', () => {
  it('does not filter while the module is off', async () => {
    expect((await call('127.0.0.4', path)).status).toBe(200);
  });

  it('admits listed sockets and refuses others once the module is on', async () => {
    await put(KV_BUCKETS.workspaces, 'ws-ip', {
      id: 'ws-ip',
      name: 'IP',
      modules: { ipFilter: true, signatureCheck: false, asyncEvents: false },
    } satisfies WorkspaceRecord);
    await within(2000, async () => (await call('127.0.0.4', path)).status === 403);
    const refused = await call('127.0.0.4', path);
    expect(JSON.parse(refused.body)).toEqual({
      error: {
        type: 'ForbiddenException',
        code: 110403,
        message: 'Access from this IP address is not allowed',
      },
    });
    expect((await call('127.0.0.2', path)).status).toBe(200);
    expect((await call('::1', path)).status).toBe(200);
  });

  it('ignores X-Forwarded-For from an untrusted peer', async () => {
    expect((await call('127.0.0.4', path, { 'x-forwarded-for': '192.168.1.2' })).status).toBe(403);
    expect((await call('127.0.0.2', path, { 'x-forwarded-for': '10.9.9.9' })).status).toBe(200);
  });

  it('holds the documented example through a trusted proxy', async () => {
    const through = async (ip: string): Promise<number> =>
      (await call('127.0.0.3', path, { 'x-forwarded-for': `203.0.113.7, ${ip}` })).status;
    for (const ip of ['192.168.1.2', '192.168.0.0', '192.168.0.3', '192.168.0.255']) {
      expect([ip, await through(ip)]).toEqual([ip, 200]);
    }
    for (const ip of ['192.168.1.3', '192.168.1.0', '192.167.255.255', '192.168.2.0', '10.0.0.1']) {
      expect([ip, await through(ip)]).toEqual([ip, 403]);
    }
  });

  it('leaves APIs without a list alone', async () => {
    expect((await call('127.0.0.4', `/events?api_key=${apiKey}`)).status).toBe(200);
  });

  it('applies an updated list within a second', async () => {
    await put(KV_BUCKETS.ipFilters, 'ws-ip', {
      workspaceId: 'ws-ip',
      apis: { customer: ['127.0.0.4'] },
      revision: 2,
    } satisfies IpFilterRecord);
    const started = Date.now();
    await within(2000, async () => (await call('127.0.0.4', path)).status === 200);
    expect(Date.now() - started).toBeLessThan(1000);
    expect((await call('127.0.0.2', path)).status).toBe(403);
  });
});
