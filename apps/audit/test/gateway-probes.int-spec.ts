import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http, { type OutgoingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AuditRpc, FAILED_CALL_LIMITS, type FailedCallEvent } from '@loyalty-edge/audit-contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { kvPut, NatsLink, openBucket, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, freePort, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { auditApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';
import { eventually, sample } from './support.js';

/**
 * The reviewer's four probes through the real gateway (the built one, as its own process: an app
 * never imports another), the AUDIT stream and this service, read back with the query a
 * workspace admin's errors log uses. Needs `node tools/build.mjs --no-web` first.
 */
const root = fileURLToPath(new URL('../../..', import.meta.url));
const prefix = uniquePrefix();
const apiKey = `lek_${randomBytes(18).toString('base64url')}`;
let service: RunningService | undefined;
let link: NatsLink | undefined;
let rpc: RpcClient;
let upstream: Server | undefined;
let gatewayProcess: ChildProcess | undefined;
let gatewayPort = 0;
const gatewayOutput: string[] = [];

/** Every workspace package by name: its directory. */
function packages(): Map<string, string> {
  const found = new Map<string, string>();
  const visit = (dir: string, depth: number): void => {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && existsSync(join(dir, 'src'))) {
      found.set((JSON.parse(readFileSync(manifest, 'utf8')) as { name: string }).name, dir);
    }
    if (depth === 0) return;
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory() && !['node_modules', 'dist', 'src', 'test'].includes(entry.name)) {
        visit(join(dir, entry.name), depth - 1);
      }
    }
  };
  visit(join(root, 'libs'), 2);
  return found;
}

/** Sources newer than their build output: the gateway's and those of the libs it imports. */
function staleSources(): string[] {
  const byName = packages();
  const stale: string[] = [];
  const pending = [join(root, 'apps/gateway')];
  const seen = new Set(pending);
  for (let project = pending.pop(); project !== undefined; project = pending.pop()) {
    const src = join(project, 'src');
    for (const file of readdirSync(src, { recursive: true, encoding: 'utf8' })) {
      if (!file.endsWith('.ts') || file.endsWith('.spec.ts') || file.endsWith('.d.ts')) continue;
      const source = join(src, file);
      const out = join(project, 'dist', file.replace(/\.ts$/, '.js'));
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(source).mtimeMs) {
        stale.push(source.slice(root.length));
      }
      for (const [, name] of readFileSync(source, 'utf8').matchAll(
        /from '(@loyalty-edge\/[^']+)'/g,
      )) {
        const dir = byName.get(name ?? '');
        if (dir !== undefined && !seen.has(dir)) {
          seen.add(dir);
          pending.push(dir);
        }
      }
    }
  }
  return stale;
}

function send(
  path: string,
  options: { method?: string; headers?: OutgoingHttpHeaders; body?: string } = {},
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port: gatewayPort,
        method: options.method ?? 'GET',
        path,
        headers: options.headers,
        agent: false,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

beforeAll(async () => {
  const stale = staleSources();
  if (stale.length > 0) {
    throw new Error(
      `the built gateway is older than ${stale.slice(0, 3).join(', ')}${stale.length > 3 ? ', ...' : ''}: run node tools/build.mjs --no-web`,
    );
  }
  const env = serviceEnv(prefix);
  service = await runService(auditApp(loadConfig(env)));
  const nats = await NatsLink.open(loadConfig(env).common.nats, 'test');
  link = nats;
  rpc = new RpcClient(nats);
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not\u0000found');
    });
  });
  upstream = server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  await kvPut(await openBucket(nats, KV_BUCKETS.apiKeys), apiKey, {
    workspaceId: 'ws-probe',
    status: 'active',
    version: 1,
  } satisfies ApiKeyRecord);
  gatewayPort = await freePort();
  gatewayProcess = spawn(process.execPath, [join(root, 'apps/gateway/dist/main.js')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      ...serviceEnv(prefix, {
        GATEWAY_PORT: String(gatewayPort),
        UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      }),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  gatewayProcess.stdout?.on('data', (chunk: Buffer) => gatewayOutput.push(chunk.toString()));
  gatewayProcess.stderr?.on('data', (chunk: Buffer) => gatewayOutput.push(chunk.toString()));
  await eventually(async () => {
    const ready = await fetch(`http://127.0.0.1:${gatewayPort}/readyz`);
    expect(ready.status).toBe(200);
    expect(await send(`/customers/warm-up?api_key=${apiKey}`)).toBe(404);
  }, 20_000).catch((error: unknown) => {
    throw new Error(`gateway did not start: ${gatewayOutput.join('').slice(-2000)}`, {
      cause: error,
    });
  });
}, 40_000);

afterAll(async () => {
  if (gatewayProcess?.pid !== undefined && gatewayProcess.exitCode === null) {
    const exited = new Promise((resolve) => gatewayProcess?.once('exit', resolve));
    gatewayProcess.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => (upstream ? upstream.close(resolve) : resolve(undefined)));
  await link?.close();
  await service?.close();
  await cleanUp(prefix);
});

describe('hostile failed calls, gateway to errors log', () => {
  it('stores the four probes (long URL, 300 headers, long header name, NUL body) in the errors log, marked truncated', async () => {
    const before = await (await fetch(`${service!.url}/metrics`)).text();
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
      body: 'a\u0000b',
    });

    const byRequest = new Map<string, FailedCallEvent>();
    await eventually(async () => {
      const page = await rpc.request(AuditRpc.failedCalls, { workspaceId: 'ws-probe' });
      for (const summary of page.items) {
        if (!summary.requestId.startsWith('probe-') || byRequest.has(summary.requestId)) continue;
        const call = await rpc.request(AuditRpc.failedCall, {
          workspaceId: 'ws-probe',
          id: summary.id,
        });
        if (call) byRequest.set(call.requestId, call);
      }
      expect([...byRequest.keys()].sort()).toEqual([
        'probe-headers',
        'probe-name',
        'probe-nul',
        'probe-url',
      ]);
    }, 10_000);

    const url = byRequest.get('probe-url');
    expect(url?.request.url.length).toBeLessThanOrEqual(FAILED_CALL_LIMITS.url);
    expect(url?.request.url.startsWith('/customers/probe-url?api_key=[REDACTED]&pad=')).toBe(true);
    expect(url?.request.truncated).toEqual(['url']);
    expect(byRequest.get('probe-headers')?.request.truncated).toEqual(['headers']);
    expect(Object.keys(byRequest.get('probe-headers')?.request.headers ?? {})).toHaveLength(
      FAILED_CALL_LIMITS.headers,
    );
    expect(byRequest.get('probe-name')?.request.truncated).toEqual(['headers']);
    expect(byRequest.get('probe-nul')?.request.body).toBe('a\\u0000b');
    expect(byRequest.get('probe-nul')?.response.body).toBe('not\\u0000found');
    for (const call of byRequest.values()) expect(call.response.status).toBe(404);

    // the gateway cut what it captured: the audit service had nothing left to cut or refuse
    const after = await (await fetch(`${service!.url}/metrics`)).text();
    for (const name of [
      'audit_events_rejected_total{reason="invalid"}',
      'audit_events_rejected_total{reason="unstorable"}',
      'audit_fields_truncated_total{field="url"}',
      'audit_fields_truncated_total{field="request_headers"}',
    ]) {
      expect([name, sample(after, name) - sample(before, name)]).toEqual([name, 0]);
    }
  }, 30_000);
});
