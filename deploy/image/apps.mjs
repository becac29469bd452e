// Every app from the image, in the image check (deploy/image/check.mjs): all nine started with
// `buildah run` (host network, the image's own user) against the PostgreSQL and NATS of
// DATABASE_URL and NATS_URL under a random prefix, each /healthz and /readyz awaited, times
// printed; then stopped, and what they created dropped.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { PLATFORM_APPS } from '@loyalty-edge/contracts';
import { freePort } from '@loyalty-edge/testing';
import { check, report } from '../nats/platform-checks.mjs';
import { outputTail } from '../nats/platform-processes.mjs';
import { STORAGE, root, seconds } from './buildah.mjs';

/** Every app of the platform, by name. */
export const APPS = PLATFORM_APPS.map((app) => app.name);

const running = [];

/** `buildah run` of one command in the working container (its own process group). */
function startInImage(container, name, env, args) {
  const envArgs = Object.entries(env).flatMap(([key, value]) => ['--env', `${key}=${value}`]);
  const child = spawn(
    'buildah',
    [
      ...STORAGE,
      'run',
      '--isolation',
      'chroot',
      '--network',
      'host',
      ...envArgs,
      container,
      '--',
      ...args,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const entry = { name, child, tail: outputTail(child, 30) };
  running.push(entry);
  return entry;
}

async function stopAll() {
  for (const { child } of running.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    // the whole group: buildah and the app it runs
    const signal = (name) => {
      try {
        process.kill(-child.pid, name);
      } catch {
        // already gone
      }
    };
    signal('SIGTERM');
    const timer = setTimeout(() => signal('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

async function waitFor(entry, url, deadline) {
  for (;;) {
    if (entry.child.exitCode !== null)
      throw new Error(`${entry.name} stopped:\n${entry.tail.slice(-8).join('\n')}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(1000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline)
      throw new Error(`${url} not 200 in time:\n${entry.tail.slice(-8).join('\n')}`);
    await delay(100);
  }
}

/**
 * Runs every app in the working container `container`.
 * @param {string} container
 */
export async function runApps(container) {
  const { uniquePrefix, cleanUp } = await import('@loyalty-edge/testing');
  const prefix = uniquePrefix();
  const port = Object.fromEntries(await Promise.all(APPS.map(async (a) => [a, await freePort()])));
  const gatewayData = await freePort();
  const local = (p) => `http://127.0.0.1:${p}`;
  const common = {
    DATABASE_URL: process.env.DATABASE_URL ?? '',
    NATS_URL: process.env.NATS_URL ?? '',
    NATS_PREFIX: prefix,
    DB_SCHEMA_PREFIX: `${prefix}_`,
    // the image listens on every interface; on the host network keep it to loopback
    HOST: '127.0.0.1',
    GATEWAY_HOST: '127.0.0.1',
    LOG_LEVEL: 'info',
  };
  const own = {
    credentials: { CREDENTIALS_KEK: `img:${randomBytes(32).toString('base64')}` },
    token: {
      TOKEN_KEY_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      TOKEN_ISSUER: local(gatewayData),
    },
    'loyalty-api': {},
    'management-api': {
      PUBLIC_URL: local(port['admin-web']),
      GATEWAY_PUBLIC_URL: local(gatewayData),
      BOOTSTRAP_ADMIN_EMAIL: 'operator@image.test',
      BOOTSTRAP_ADMIN_PASSWORD: `${randomBytes(12).toString('base64url')}-Img`,
    },
    gateway: {
      GATEWAY_PORT: String(gatewayData),
      UPSTREAM_DEFAULT_URL: local(port['loyalty-api']),
    },
    'admin-web': { MANAGEMENT_API_URL: local(port['management-api']) },
  };
  try {
    const started = performance.now();
    const deadline = Date.now() + 120_000;
    const entries = APPS.map((app) =>
      startInImage(container, app, { ...common, PORT: String(port[app]), ...own[app] }, [
        'node',
        `apps/${app}/dist/main.js`,
      ]),
    );
    const times = await Promise.all(
      entries.map(async (entry) => {
        const base = local(port[entry.name]);
        await waitFor(entry, `${base}/healthz`, deadline);
        const healthz = performance.now() - started;
        await waitFor(entry, `${base}/readyz`, deadline);
        return { app: entry.name, healthz, readyz: performance.now() - started };
      }),
    );
    for (const { app, healthz, readyz } of times)
      report(
        'ok',
        `${app} from the image: /healthz ${seconds(healthz)}, /readyz ${seconds(readyz)}`,
      );
    await check('the gateway answers on its data port', async () => {
      const res = await fetch(`${local(gatewayData)}/healthz`);
      if (res.status !== 200) throw new Error(`status ${res.status}`);
    });
    await check('admin-web serves the SPA', async () => {
      const res = await fetch(`${local(port['admin-web'])}/`);
      const text = await res.text();
      if (res.status !== 200 || !text.includes('<div id="root">'))
        throw new Error(`status ${res.status}`);
    });
    await check('apps run as a non-root user', async () => {
      const pids = entries.map((e) => e.child.pid);
      const uids = new Set();
      for (const pid of pids) {
        // the app is the node process below this buildah run
        const out = spawnSync(
          'ps',
          ['-o', 'uid=,comm=', '--ppid', String(pid), '-g', String(pid)],
          {
            encoding: 'utf8',
          },
        ).stdout;
        for (const line of out.split('\n')) {
          const [uid, comm] = line.trim().split(/\s+/);
          if (comm === 'node') uids.add(Number(uid));
        }
      }
      if (uids.size === 0) throw new Error('no app process found');
      if (uids.has(0)) throw new Error('an app runs as root');
      return `uid ${[...uids].join(', ')}`;
    });
  } catch (error) {
    report(
      'fail',
      `apps from the image: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    await stopAll();
    await cleanUp(prefix).catch((error) => console.log(`  clean-up: ${String(error)}`));
  }
}
