import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import http, { type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { freePort, serviceEnv, uniquePrefix, within } from '@loyalty-edge/testing';
import { DataPlane, gatewayApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

// A NATS server of this test's own, so it can be stopped and started again.
const NATS_SERVER = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';
const storeDir = mkdtempSync(join(tmpdir(), 'le-nats-'));
const prefix = uniquePrefix();
let natsPort = 0;
let nats: ChildProcess | undefined;
let upstream: Server;
let gateway: RunningService;
let gatewayUrl: string;

async function startNats(): Promise<void> {
  nats = spawn(NATS_SERVER, ['-a', '127.0.0.1', '-p', String(natsPort), '-js', '-sd', storeDir], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 100; i += 1) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = createServer().listen(natsPort, '127.0.0.1', () =>
        socket.close(() => resolve(false)),
      );
      socket.on('error', () => resolve(true));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('nats-server did not start');
}

async function stopNats(): Promise<void> {
  const child = nats;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}

async function putKey(apiKey: string): Promise<void> {
  const link = await NatsLink.open(
    { url: `nats://127.0.0.1:${natsPort}`, prefix, requestTimeoutMs: 2000, replicas: 1 },
    'test',
  );
  await kvPut(await openBucket(link, KV_BUCKETS.apiKeys), apiKey, {
    workspaceId: 'ws',
    status: 'active',
    version: 1,
  } satisfies ApiKeyRecord);
  await link.close();
}

async function status(apiKey: string): Promise<number> {
  return (await fetch(`${gatewayUrl}/customers/c1?api_key=${apiKey}`)).status;
}

beforeAll(async () => {
  if (!existsSync(NATS_SERVER))
    throw new Error(`nats-server not found at ${NATS_SERVER}: set NATS_SERVER_BIN`);
  natsPort = await freePort();
  await startNats();
  upstream = http.createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end('{}'),
  );
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const env = serviceEnv(prefix, {
    NATS_URL: `nats://127.0.0.1:${natsPort}`,
    GATEWAY_PORT: '0',
    UPSTREAM_DEFAULT_URL: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`,
  });
  await putKey('lek_known_before_outage');
  gateway = await runService(gatewayApp(loadConfig(env)));
  gatewayUrl = gateway.app.get(DataPlane).url;
});

afterAll(async () => {
  await gateway.close();
  await stopNats();
  await new Promise((resolve) => upstream.close(resolve));
  rmSync(storeDir, { recursive: true, force: true });
});

describe('gateway during a NATS outage', () => {
  it('keeps enforcing the state it holds, stays ready, and picks up changes once NATS is back', async () => {
    expect(await status('lek_known_before_outage')).toBe(200);
    await stopNats();
    await within(10_000, async () =>
      (await (await fetch(`${gateway.url}/metrics`)).text()).includes('gateway_nats_connected 0'),
    );
    expect(await status('lek_known_before_outage')).toBe(200);
    expect(await status('lek_never_seen')).toBe(401);
    expect((await fetch(`${gatewayUrl}/readyz`)).status).toBe(200);

    await startNats();
    await putKey('lek_added_after_outage');
    await within(10_000, async () => (await status('lek_added_after_outage')) === 200);
    expect(await status('lek_known_before_outage')).toBe(200);
  });
});
