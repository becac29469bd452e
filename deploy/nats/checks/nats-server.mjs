// The nats-server processes of the permission check (deploy/nats/check.mjs): the committed
// configuration staged in a temporary folder on spare loopback ports, started, and stopped.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { freePort } from '@loyalty-edge/testing';
import { renderAccounts } from '../permissions.mjs';
import { PREFIX } from './clients.mjs';

function natsServerBinary() {
  if (process.env.NATS_SERVER) return process.env.NATS_SERVER;
  for (const dir of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/usr/local/bin'])) {
    if (dir && existsSync(join(dir, 'nats-server'))) return join(dir, 'nats-server');
  }
  throw new Error(
    'nats-server not found: install it (Debian: apt-get install nats-server) or set NATS_SERVER',
  );
}

/**
 * Copies the committed configuration into `dir`, moving every `127.0.0.1:<port>` to a spare port
 * and every JetStream store into `dir`, so the real files are what is parsed and exercised.
 * @param {string} dir
 * @param {{ source: string, target: string }[]} files
 */
export async function stageConfig(dir, files) {
  const ports = new Map();
  for (const { source } of files) {
    for (const match of readFileSync(source, 'utf8').matchAll(/127\.0\.0\.1:(\d+)/g)) {
      if (!ports.has(match[1])) ports.set(match[1], await freePort());
    }
  }
  const staged = files.map(({ source, target }) => {
    const text = readFileSync(source, 'utf8')
      .replace(/127\.0\.0\.1:(\d+)/g, (_, port) => `127.0.0.1:${ports.get(port)}`)
      .replace(
        /store_dir:\s*"[^"]*"/g,
        () => `store_dir: "${join(dir, 'js', target.replace(/\W/g, '_'))}"`,
      );
    mkdirSync(dirname(join(dir, target)), { recursive: true });
    writeFileSync(join(dir, target), text);
    return { path: join(dir, target), text };
  });
  // the accounts block, rendered fresh from permissions.mjs (render.mjs --check covers the file)
  writeFileSync(join(dir, 'accounts.conf'), renderAccounts({ prefix: PREFIX }));
  return staged;
}

/**
 * Starts nats-server with every config; resolves once each reports JetStream healthy.
 * @param {{ path: string, text: string }[]} configs
 * @param {Record<string, string | undefined>} env
 */
export async function startServers(configs, env) {
  const binary = natsServerBinary();
  const servers = configs.map(({ path, text }) => {
    const client = /^listen:\s*127\.0\.0\.1:(\d+)/m.exec(text)?.[1];
    const monitor = /^http:\s*127\.0\.0\.1:(\d+)/m.exec(text)?.[1];
    const child = spawn(binary, ['-c', path], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    return { child, client: Number(client), monitor: Number(monitor), log: () => log };
  });
  const deadline = Date.now() + 30_000;
  const fail = (message) => {
    for (const { child } of servers) child.kill('SIGKILL');
    return new Error(message);
  };
  for (const server of servers) {
    for (;;) {
      if (server.child.exitCode !== null) {
        throw fail(`nats-server exited (${server.child.exitCode}):\n${server.log()}`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${server.monitor}/healthz`);
        if (res.ok) break;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw fail(`nats-server not healthy:\n${server.log()}`);
      await delay(100);
    }
  }
  return servers;
}

/** @param {{ child: import('node:child_process').ChildProcess }[]} servers */
export async function stopServers(servers) {
  await Promise.all(
    servers.map(
      ({ child }) =>
        /** @type {Promise<void>} */ (
          new Promise((resolve) => {
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          })
        ),
    ),
  );
}
