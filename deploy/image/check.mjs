#!/usr/bin/env node
// Builds deploy/Dockerfile without a Docker daemon (buildah, chroot isolation, vfs storage) and
// runs every app from the image against the PostgreSQL and NATS of DATABASE_URL and NATS_URL:
//   1. a base image, once: Debian bookworm (`debootstrap --variant=minbase` from the Debian mirror
//      this machine's apt uses) with this machine's node and npm, committed as
//      localhost/loyalty-edge-base:<node version> (`buildah from scratch` + `copy` + `commit`) and
//      kept in buildah's storage;
//   2. `buildah bud` of deploy/Dockerfile with NODE_IMAGE=<that base>; `npm ci` reads this
//      machine's npm cache (bound into the build, npm_config_prefer_offline=true): after an
//      `npm ci` on the machine (.ci/run) only package metadata the cache lacks is fetched, through
//      the machine's npm CA file (cafile) when it has one;
//   3. the image's user is not root, no devDependency (package-lock.json `dev: true`) is in its
//      node_modules, every app has its dist/main.js;
//   4. all nine apps started from the image (host network, the image's own user), each /healthz
//      and /readyz awaited; times printed.
//
//   node deploy/image/check.mjs              skips (exit 0) when buildah or debootstrap is missing
//   LE_IMAGE_REBUILD_BASE=1 node deploy/image/check.mjs    builds the base again
//
// Everything it creates in PostgreSQL and NATS carries a random prefix and is dropped at the end;
// the working container is removed, the images stay (the next build reuses them).
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { PLATFORM_APPS } from '@loyalty-edge/contracts';
import { freePort } from '@loyalty-edge/testing';
import { outputTail } from '../nats/platform-processes.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const STORAGE = ['--storage-driver', 'vfs'];
const BASE = `localhost/loyalty-edge-base:node${process.versions.node}`;
const IMAGE = 'localhost/loyalty-edge:check';
const APPS = PLATFORM_APPS.map((app) => app.name);

const results = { ok: 0, fail: 0 };
function report(ok, text) {
  results[ok ? 'ok' : 'fail'] += 1;
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${text}`);
}
async function check(text, fn) {
  try {
    const detail = await fn();
    report(true, detail ? `${text} (${detail})` : text);
    return true;
  } catch (error) {
    report(false, `${text}: ${error instanceof Error ? error.message : String(error)}`);
    return false;
  }
}
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Runs buildah (or another command) to completion; returns stdout, throws with stderr. */
function run(command, args, { quiet = true } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-15);
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} … failed:\n${tail.join('\n')}`);
  }
  return result.stdout.trim();
}
const buildah = (args, options) => run('buildah', [...STORAGE, ...args], options);

/**
 * Streams a long command's output with a prefix; resolves when it exits 0.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<void>}
 */
function runStreaming(label, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {string[]} */
    const tail = [];
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        tail.splice(0, Math.max(0, tail.length - 30));
        if (/STEP \d|^COMMIT|^build:|^added/.test(line))
          console.log(`  ${label}| ${(performance.now() / 1000).toFixed(0)} s ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} exited ${code}:\n${tail.join('\n')}`)),
    );
  });
}

// ---------------------------------------------------------------------------------------------
// 1. the base image
// ---------------------------------------------------------------------------------------------

/** The Debian mirror apt uses here (deb822 `URIs:` or a one-line `deb` entry). */
function debianMirror() {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri =
      /^URIs:\s*(\S+\/debian)\s*$/m.exec(text)?.[1] ??
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s/m.exec(text)?.[1];
    if (uri) return uri;
  }
  return 'http://deb.debian.org/debian';
}

function imageExists(name) {
  return (
    spawnSync('buildah', [...STORAGE, 'inspect', '--type', 'image', name], {
      stdio: 'ignore',
    }).status === 0
  );
}

async function ensureBase() {
  if (imageExists(BASE) && !process.env.LE_IMAGE_REBUILD_BASE) return 'cached';
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'le-base-'));
  const rootfs = join(dir, 'rootfs');
  try {
    const mirror = debianMirror();
    console.log(`  base| debootstrap --variant=minbase bookworm from ${mirror}`);
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, mirror]);
    // apt's package lists and downloads are not needed at run time
    for (const path of ['var/cache/apt', 'var/lib/apt/lists'])
      rmSync(join(rootfs, path), { recursive: true, force: true });
    const npm = join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm');
    if (!existsSync(join(npm, 'bin', 'npm-cli.js'))) throw new Error(`npm not found at ${npm}`);
    const container = buildah(['from', 'scratch']);
    try {
      buildah(['copy', '--quiet', container, rootfs, '/']);
      buildah(['copy', '--quiet', container, process.execPath, '/usr/local/bin/node']);
      buildah(['copy', '--quiet', container, npm, '/usr/local/lib/node_modules/npm']);
      buildah([
        'run',
        '--isolation',
        'chroot',
        container,
        '--',
        'sh',
        '-c',
        'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ' +
          'ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version',
      ]);
      buildah(['config', '--env', 'PATH=/usr/local/bin:/usr/bin:/bin', '--cmd', 'node', container]);
      buildah(['commit', '--quiet', container, BASE]);
    } finally {
      buildah(['rm', container]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return `built in ${seconds(performance.now() - started)}`;
}

// ---------------------------------------------------------------------------------------------
// 2. the image
// ---------------------------------------------------------------------------------------------

/** The hard limit of open files here (what a build step may raise its own to), at most 65536. */
function openFilesLimit() {
  const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return hard === 'unlimited' ? 65536 : Math.min(Number(hard) || 1024, 65536);
}

async function buildImage() {
  const npmCache = process.env.npm_config_cache ?? join(homedir(), '.npm');
  // the registry as this machine reaches it: its CA file (e.g. a proxy's), through the global
  // npmrc of the npm in the base image
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout.trim();
  const registryAccess = [];
  if (cafile !== '' && cafile !== 'null' && existsSync(cafile)) {
    const npmrc = join(mkdtempSync(join(tmpdir(), 'le-npmrc-')), 'npmrc');
    writeFileSync(npmrc, 'cafile=/run/le-npm-ca.crt\n');
    registryAccess.push(
      '--volume',
      `${npmrc}:/usr/local/etc/npmrc:ro`,
      '--volume',
      `${cafile}:/run/le-npm-ca.crt:ro`,
    );
  }
  const started = performance.now();
  await runStreaming('bud', 'buildah', [
    ...STORAGE,
    'bud',
    '--isolation',
    'chroot',
    '--network',
    'host',
    '--layers',
    // a failed step leaves no working container behind
    '--force-rm',
    // npm ci opens many cache files at once; the chroot's default limit (1024) makes reads of
    // the npm cache fail with EMFILE, which npm takes for cache misses
    '--ulimit',
    `nofile=${openFilesLimit()}:${openFilesLimit()}`,
    '-f',
    'deploy/Dockerfile',
    '--ignorefile',
    'deploy/Dockerfile.dockerignore',
    '--build-arg',
    `NODE_IMAGE=${BASE}`,
    '--build-arg',
    'npm_config_cache=/npm-cache',
    '--build-arg',
    'npm_config_prefer_offline=true',
    '--volume',
    `${npmCache}:/npm-cache`,
    ...registryAccess,
    '-t',
    IMAGE,
    '.',
  ]);
  return performance.now() - started;
}

// ---------------------------------------------------------------------------------------------
// 3. the image's content
// ---------------------------------------------------------------------------------------------

function devOnlyPackages() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => entry.dev === true && path.includes('node_modules/'))
    .map(([path]) => path);
}

// ---------------------------------------------------------------------------------------------
// 4. the apps from the image
// ---------------------------------------------------------------------------------------------

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

async function runApps(container) {
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
        true,
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
    report(false, `apps from the image: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await stopAll();
    await cleanUp(prefix).catch((error) => console.log(`  clean-up: ${String(error)}`));
  }
}

// ---------------------------------------------------------------------------------------------

if (!which('buildah') || !which('debootstrap')) {
  console.log(
    'SKIP deploy/image/check.mjs: buildah and debootstrap are needed (apt-get install buildah debootstrap)',
  );
  process.exit(0);
}
for (const name of ['DATABASE_URL', 'NATS_URL']) {
  if (!process.env[name]) {
    console.error(`${name} must be set (the apps from the image connect to it)`);
    process.exit(2);
  }
}

console.log('== base image');
if (!(await check(`base ${BASE}`, ensureBase))) process.exit(1);

console.log('\n== build (buildah bud, chroot isolation, vfs storage)');
let built = false;
await check(`deploy/Dockerfile → ${IMAGE}`, async () => {
  const ms = await buildImage();
  built = true;
  return `${seconds(ms)}`;
});
if (!built) process.exit(1);

console.log('\n== the image');
const config = JSON.parse(buildah(['inspect', '--type', 'image', IMAGE]));
await check('image size', () => {
  const line = buildah(['images', '--format', '{{.Size}}', IMAGE]);
  return line.split('\n')[0];
});
await check('USER is numeric and not root', () => {
  const user = config.OCIv1?.config?.User ?? '';
  if (!/^[1-9]\d*(:\d+)?$/.test(user)) throw new Error(`USER "${user}"`);
  return user;
});
const container = buildah(['from', '--quiet', '--pull-never', IMAGE]);
try {
  const mount = buildah(['mount', container]);
  await check('no devDependency in node_modules', () => {
    const dev = devOnlyPackages();
    const present = dev.filter((path) => existsSync(join(mount, 'app', path)));
    if (present.length > 0)
      throw new Error(`${present.length} present: ${present.slice(0, 8).join(', ')}`);
    return `${dev.length} dev-only packages of package-lock.json, none present`;
  });
  await check('every app has dist/main.js, no TypeScript sources', () => {
    const missing = APPS.filter(
      (app) => !existsSync(join(mount, 'app', 'apps', app, 'dist', 'main.js')),
    );
    if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')}`);
    if (existsSync(join(mount, 'app', 'apps', 'gateway', 'src')))
      throw new Error('apps/gateway/src is in the image');
  });
  await check('files belong to root (the app user cannot change them)', () => {
    const out = run('stat', ['-c', '%u', join(mount, 'app', 'apps', 'gateway', 'dist', 'main.js')]);
    if (out !== '0') throw new Error(`owner uid ${out}`);
  });
  console.log('\n== every app from the image (host network)');
  await runApps(container);
} finally {
  buildah(['umount', container]);
  buildah(['rm', container]);
}

console.log(`\n${results.ok} ok, ${results.fail} failed`);
process.exit(results.fail > 0 ? 1 : 0);
