// The platform as processes, for the checks that run it (check-services.mjs, check-upgrade.mjs):
// a private nats-server from the committed configuration on spare ports, every app
// (apps/<app>/dist/main.js) under its own NATS user, each awaited on /readyz and stopped by its PID.
// image/check.mjs uses its spare ports and output tails too.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import pg from 'pg';
import { freePort } from '@loyalty-edge/testing';
import { USERS, passwordVariable } from './permissions.mjs';

/** @typedef {import('node:child_process').ChildProcessByStdio<null, import('node:stream').Readable, import('node:stream').Readable>} Child */
/** @typedef {{ name: string, child: Child, tail: string[] }} Started a process and its last lines */
/** @typedef {Started & { client: number, monitor: number }} NatsServer with its ports */

/**
 * Where each app is reached (PUBLIC_URL, GATEWAY_PUBLIC_URL and TOKEN_ISSUER, …).
 * @typedef {{ adminWeb: string, gateway: string, managementApi: string, loyaltyApi: string }} Urls
 */

/**
 * @typedef {object} Secrets
 * @property {Record<string, string>} passwords the NATS password of each user
 * @property {string} kek CREDENTIALS_KEK
 * @property {string} tokenKey TOKEN_KEY_ENCRYPTION_KEY
 * @property {{ email: string, password: string }} admin the bootstrap admin
 */

const here = dirname(fileURLToPath(import.meta.url));

/**
 * The TCP port a listening server has.
 * @param {import('node:net').Server} server
 */
export function listeningPort(server) {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`not on TCP: ${address}`);
  return address.port;
}

/**
 * Polls `fn` until it returns true; resolves to the milliseconds that took.
 * @param {number} ms
 * @param {() => boolean | Promise<boolean>} fn
 * @param {string} what
 * @returns {Promise<number>}
 */
export async function within(ms, fn, what) {
  const started = performance.now();
  for (;;) {
    if (await fn()) return performance.now() - started;
    if (performance.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await delay(10);
  }
}

/**
 * The last `lines` lines a child wrote to stdout and stderr, kept up to date.
 * @param {Child} child
 * @param {number} lines
 */
export function outputTail(child, lines) {
  /** @type {string[]} */
  const tail = [];
  for (const stream of [child.stdout, child.stderr]) {
    stream.on('data', (chunk) => {
      tail.push(...chunk.toString().split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - lines));
    });
  }
  return tail;
}

/** The processes of one run, kept by PID: each stopped by itself, or all, the last first. */
export class Processes {
  /** @param {string} cwd where every command runs */
  constructor(cwd) {
    this.cwd = cwd;
    /** @type {Started[]} */
    this.started = [];
  }

  /**
   * @param {string} name
   * @param {string} command
   * @param {string[]} args
   * @param {NodeJS.ProcessEnv} env
   * @returns {Started}
   */
  start(name, command, args, env) {
    const child = spawn(command, args, { cwd: this.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const entry = { name, child, tail: outputTail(child, 40) };
    this.started.push(entry);
    return entry;
  }

  /**
   * Starts `node apps/<app>/dist/main.js`.
   * @param {string} app
   * @param {NodeJS.ProcessEnv} env
   */
  app(app, env) {
    return this.start(app, process.execPath, [`apps/${app}/dist/main.js`], env);
  }

  /**
   * Runs `node apps/<app>/dist/main.js migrate`; rejects with the end of its output unless it
   * exits 0.
   * @param {string} app
   * @param {NodeJS.ProcessEnv} env
   * @returns {Promise<void>}
   */
  migrate(app, env) {
    return new Promise((resolve, reject) => {
      const name = `${app} migrate`;
      const { child, tail } = this.start(
        name,
        process.execPath,
        [`apps/${app}/dist/main.js`, 'migrate'],
        env,
      );
      child.once('exit', (code) =>
        code === 0
          ? resolve()
          : reject(new Error(`${name} exited ${code}:\n${tail.slice(-8).join('\n')}`)),
      );
    });
  }

  /**
   * SIGTERM, and SIGKILL after `graceMs`; resolves once the process has exited.
   * @param {Started} started
   */
  async stop({ child }, graceMs = 15_000) {
    if (child.exitCode !== null || child.signalCode !== null) return;
    /** @type {Promise<void>} */
    const exited = new Promise((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
    await exited;
    clearTimeout(timer);
  }

  async stopAll() {
    for (const entry of [...this.started].reverse()) await this.stop(entry);
  }
}

/**
 * Resolves once an app answers 200 on /readyz; throws when it stops or takes over a minute.
 * @param {Started} started
 * @param {number} port
 */
export async function waitReady({ name, child, tail }, port) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} stopped:\n${tail.slice(-8).join('\n')}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/readyz`, {
        signal: AbortSignal.timeout(1000),
      });
      if (res.status === 200) return;
    } catch {
      // not yet
    }
    if (Date.now() > deadline) throw new Error(`${name} not ready:\n${tail.slice(-8).join('\n')}`);
    await delay(150);
  }
}

/**
 * One run of the platform: a random prefix (its NATS subjects, streams, buckets and schemas carry
 * it), a scratch folder, a PostgreSQL client, fresh secrets and the processes; `cleanUp` takes
 * it all away again.
 */
export class PlatformRun {
  /**
   * @param {string} name what the run checks (in the scratch folder's name)
   * @param {string} letter the prefix's first character
   * @param {string} [cwd] where the apps run from: the repository unless given
   */
  constructor(name, letter, cwd = join(here, '..', '..')) {
    this.prefix = `${letter}${randomBytes(3).toString('hex')}`;
    this.databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
    this.dir = mkdtempSync(join(tmpdir(), `le-nats-${name}-`));
    this.pool = new pg.Client({ connectionString: this.databaseUrl });
    this.processes = new Processes(cwd);
    /** @type {Secrets} */
    this.secrets = {
      passwords: Object.fromEntries(
        USERS.map((u) => [u.name, `n${randomBytes(24).toString('hex')}`]),
      ),
      kek: `k1:${randomBytes(32).toString('base64')}`,
      tokenKey: randomBytes(32).toString('base64'),
      admin: { email: 'operator@example.com', password: `Op-${randomBytes(12).toString('hex')}` },
    };
    /** The apps' NATS_URL, once `startNats` has resolved. */
    this.natsUrl = '';
  }

  /**
   * Starts the committed NATS configuration (`files`, relative to deploy/nats/) in the scratch
   * folder: every `127.0.0.1:<port>` moved to a spare port, JetStream stores in the folder,
   * `accounts` as accounts.conf (each user's password in the servers' environment). Resolves once
   * every server is healthy and JetStream answers (in a cluster: a meta leader is elected).
   * @param {string[]} files
   * @param {string} accounts
   * @returns {Promise<NatsServer[]>}
   */
  async startNats(files, accounts) {
    const { dir, secrets } = this;
    const texts = files.map((file) => readFileSync(join(here, file), 'utf8'));
    /** @type {Map<string, number>} */
    const ports = new Map();
    for (const text of texts) {
      for (const [, port = ''] of text.matchAll(/127\.0\.0\.1:(\d+)/g)) {
        if (!ports.has(port)) ports.set(port, await freePort());
      }
    }
    writeFileSync(join(dir, 'accounts.conf'), accounts);
    const env = {
      ...process.env,
      ...Object.fromEntries(
        USERS.map((u) => [passwordVariable(u.name), secrets.passwords[u.name]]),
      ),
      PATH: `${process.env.PATH}:/usr/sbin`,
    };
    const binary = process.env.NATS_SERVER ?? 'nats-server';
    const servers = files.map((file, index) => {
      const text = (texts[index] ?? '')
        .replace(/127\.0\.0\.1:(\d+)/g, (_, port) => `127.0.0.1:${ports.get(port)}`)
        .replace(/store_dir:\s*"[^"]*"/, `store_dir: "${join(dir, 'js', String(index))}"`);
      mkdirSync(dirname(join(dir, file)), { recursive: true });
      writeFileSync(join(dir, file), text);
      const name = `nats-server ${index + 1}`;
      const server = this.processes.start(name, binary, ['-c', join(dir, file)], env);
      return { ...server, client: portOf('listen', text), monitor: portOf('http', text) };
    });
    for (const server of servers) {
      await within(
        20_000,
        async () => {
          if (server.child.exitCode !== null) throw new Error(server.tail.join('\n'));
          return fetch(`http://127.0.0.1:${server.monitor}/healthz`).then(
            (r) => r.ok,
            () => false,
          );
        },
        `${server.name} healthy`,
      );
    }
    const nc = await connect({
      servers: servers.map((server) => `127.0.0.1:${server.client}`),
      user: 'audit',
      pass: secrets.passwords.audit,
      inboxPrefix: '_INBOX_audit',
    });
    try {
      await within(
        20_000,
        async () =>
          (await jetstreamManager(nc)).getAccountInfo().then(
            () => true,
            () => false,
          ),
        'JetStream ready',
      );
    } finally {
      await nc.close();
    }
    this.natsUrl = servers.map((server) => `nats://127.0.0.1:${server.client}`).join(',');
    return servers;
  }

  /**
   * The environment of one app: the run's database, NATS (as its own NATS user; admin-web has
   * none, it only talks HTTP to management-api) and secrets, and where the other apps are.
   * @param {string} app
   * @param {number} port its HTTP port
   * @param {Urls} urls
   * @returns {NodeJS.ProcessEnv}
   */
  appEnv(app, port, urls) {
    const { prefix, secrets } = this;
    return {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      DATABASE_URL: this.databaseUrl,
      DB_SCHEMA_PREFIX: `${prefix}_`,
      NATS_URL: this.natsUrl,
      NATS_PREFIX: prefix,
      ...(app === 'admin-web' ? {} : { NATS_USER: app, NATS_PASSWORD: secrets.passwords[app] }),
      HOST: '127.0.0.1',
      PORT: String(port),
      LOG_LEVEL: 'warn',
      CREDENTIALS_KEK: secrets.kek,
      TOKEN_KEY_ENCRYPTION_KEY: secrets.tokenKey,
      BOOTSTRAP_ADMIN_EMAIL: secrets.admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: secrets.admin.password,
      PUBLIC_URL: urls.adminWeb,
      GATEWAY_PUBLIC_URL: urls.gateway,
      TOKEN_ISSUER: urls.gateway,
      MANAGEMENT_API_URL: urls.managementApi,
      UPSTREAM_DEFAULT_URL: urls.loyaltyApi,
      GATEWAY_HOST: '127.0.0.1',
    };
  }

  /**
   * Stops every process, drops the schemas of the prefix (nothing when the database was not
   * reachable), closes the client and removes the scratch folder.
   */
  async cleanUp() {
    await this.processes.stopAll();
    try {
      const { rows } = await this.pool.query(
        'SELECT nspname FROM pg_namespace WHERE nspname LIKE $1',
        [`${this.prefix}\\_%`],
      );
      for (const { nspname } of rows) await this.pool.query(`DROP SCHEMA "${nspname}" CASCADE`);
    } catch {
      // the database was not reachable: nothing to drop
    }
    await this.pool.end().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * The port of a `listen:` or `http:` line of a nats-server configuration.
 * @param {'listen' | 'http'} key
 * @param {string} text
 */
function portOf(key, text) {
  const port = new RegExp(`^${key}:\\s*127\\.0\\.0\\.1:(\\d+)`, 'm').exec(text)?.[1];
  if (port === undefined) throw new Error(`no ${key}: 127.0.0.1:<port> in the configuration`);
  return Number(port);
}
