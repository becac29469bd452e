// What every benchmark script shares: the platform as processes (the launcher of `npm start`),
// an admin session on the management API, wrk in its own process, CPU time from /proc, nginx with
// a private prefix, and the result files.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_PORTS, startPlatform } from '@loyalty-edge/launcher';
import { cleanUp, freePort, uniquePrefix } from '@loyalty-edge/testing';

export { freePort };

export const root = fileURLToPath(new URL('../..', import.meta.url));
export const quick = process.env.BENCH_QUICK === '1';
export const natsUrl = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
export const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
process.env.NATS_URL = natsUrl;
process.env.DATABASE_URL = databaseUrl;

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Stops at once, with what to install, when a load or reference tool is missing (a scenario
 * would otherwise wait for a server that never starts).
 * @param {string[]} commands
 */
export function requireCommands(commands) {
  const missing = commands.filter(
    (command) => spawnSync('sh', ['-c', `command -v ${command}`]).status !== 0,
  );
  if (missing.length > 0) {
    process.stderr.write(
      `missing: ${missing.join(', ')}; install with: apt-get install -y ${missing.join(' ')}\n`,
    );
    process.exit(2);
  }
}

export async function waitFor(url, timeoutMs = 30_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not yet
    }
    await sleep(50);
  }
  throw new Error(`${url} did not come up`);
}

const children = [];

/** A node script of the bench as a child process (its PID is what /proc is read for). */
export function startNode(script, env = {}) {
  const child = spawn(process.execPath, [script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  return child;
}

/** nginx as a plain keep-alive reverse proxy with one worker, in a private prefix. */
export async function startNginx(port, upstreamPort) {
  const prefix = join(tmpdir(), `bench-nginx-${process.pid}`);
  mkdirSync(join(prefix, 'logs'), { recursive: true });
  temporary.push(prefix);
  const conf = join(prefix, 'nginx.conf');
  writeFileSync(
    conf,
    `worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log error;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  keepalive_timeout 65s;
  keepalive_requests 1000000;
  upstream backend { server 127.0.0.1:${upstreamPort}; keepalive 64; keepalive_requests 1000000; }
  server {
    listen 127.0.0.1:${port};
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_buffering off;
    }
  }
}
`,
  );
  const child = spawn('nginx', ['-p', prefix, '-c', conf, '-g', 'daemon off;'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  children.push(child);
  await waitFor(`http://127.0.0.1:${port}/`);
  // the master forks the one worker that serves: its CPU is what counts
  const worker = readdirSync('/proc')
    .filter((pid) => /^\d+$/.test(pid))
    .find((pid) => {
      try {
        return (
          readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1] ===
          String(child.pid)
        );
      } catch {
        return false;
      }
    });
  return { child, pid: Number(worker ?? child.pid) };
}

/** Files and folders the scenario wrote in the temporary directory (wrk scripts, nginx's prefix). */
const temporary = [];

/** Stops the scenario's child processes and removes its temporary files. */
export function stopChildren() {
  for (const child of children.splice(0)) child.kill('SIGTERM');
  for (const path of temporary.splice(0)) rmSync(path, { recursive: true, force: true });
}

/** The whole platform as processes (tools/launcher), isolated by a prefix, on free ports. */
export async function platform({ extraGateways = 0, env = {} } = {}) {
  const prefix = uniquePrefix().replace(/^t/, 'b');
  const ports = {};
  for (const name of Object.keys(DEFAULT_PORTS)) ports[name] = await freePort();
  const extra = [];
  for (let i = 0; i < extraGateways; i += 1) extra.push([await freePort(), await freePort()]);
  const admin = {
    email: 'bench@loyalty-edge.test',
    password: `${randomBytes(12).toString('base64url')}-Bn1`,
  };
  const lines = [];
  const started = await startPlatform({
    root,
    databaseUrl,
    natsUrl,
    natsPrefix: prefix,
    schemaPrefix: `${prefix}_`,
    ports,
    extraGateways: extra,
    secrets: {
      kek: `bench:${randomBytes(32).toString('base64')}`,
      tokenKey: randomBytes(32).toString('base64'),
      adminEmail: admin.email,
      adminPassword: admin.password,
    },
    logLevel: 'warn',
    write: (line) => {
      lines.push(line);
      if (lines.length > 200) lines.shift();
    },
    env: { LOG_LEVEL: 'warn', ...env },
    without: ['admin-web'],
  }).catch(async (error) => {
    await cleanUp(prefix);
    throw error;
  });
  return {
    ...started,
    prefix,
    ports,
    admin,
    lines,
    /** The PID of a gateway replica, found by its data port. */
    gatewayPid(index = 0) {
      const port = index === 0 ? ports.gateway : extra[index - 1][0];
      return findPid(
        (cmdline, environ) =>
          cmdline.includes('apps/gateway/dist/main.js') &&
          environ.includes(`NATS_PREFIX=${prefix}\0`) &&
          environ.includes(`GATEWAY_PORT=${port}\0`),
      );
    },
    async shutdown() {
      await started.stop();
      await cleanUp(prefix);
    },
  };
}

function findPid(match) {
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const environ = readFileSync(`/proc/${pid}/environ`, 'utf8');
      if (match(cmdline, environ)) return Number(pid);
    } catch {
      // gone, or not ours
    }
  }
  throw new Error('process not found');
}

/** User + system CPU seconds a process has used so far. */
export function cpuSeconds(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Resident memory of a process in MiB. */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

/** The admin web app's session: cookie + CSRF token, If-Match from a fresh read where needed. */
export class Management {
  constructor(base, cookie, csrf) {
    this.base = base;
    this.cookie = cookie;
    this.csrf = csrf;
  }

  static async login(base, { email, password }) {
    const response = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    if (response.status !== 200) throw new Error(`login failed: ${response.status}`);
    const { csrfToken } = await response.json();
    return new Management(
      base,
      (response.headers.get('set-cookie') ?? '').split(';')[0],
      csrfToken,
    );
  }

  async call(method, path, body, extra = {}) {
    const headers = { cookie: this.cookie, 'x-csrf-token': this.csrf, ...extra };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: response.headers,
    };
  }

  async ok(method, path, body, extra) {
    const reply = await this.call(method, path, body, extra);
    if (reply.status >= 300)
      throw new Error(`${method} ${path} → ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply;
  }

  /** The ETag of the resource as If-Match (IP lists, enforcement, modules through the workspace). */
  async etag(path) {
    return (await this.ok('GET', path)).headers.get('etag') ?? '';
  }

  async switchModules(ws, modules) {
    for (const [module, enabled] of Object.entries(modules)) {
      const etag = await this.etag(`/api/workspaces/${ws}`);
      await this.ok(
        'PUT',
        `/api/workspaces/${ws}/modules/${module}`,
        { enabled },
        { 'if-match': etag },
      );
    }
  }

  async createClient(ws) {
    const options = (await this.ok('GET', '/api/auth-client-options')).body;
    return (
      await this.ok('POST', `/api/workspaces/${ws}/auth-clients`, {
        name: `bench-${randomBytes(4).toString('hex')}`,
        purpose: 'benchmark',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
        scopes: options.scopes,
        audience: options.audiences[0],
      })
    ).body;
  }
}

/** A client-credentials token from the gateway's token endpoint. */
export async function tokenFor(gateway, client) {
  const response = await fetch(`${gateway}/v1/auth/token`, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: 'grant_type=client_credentials&scope=loyalty.async_events',
  });
  if (response.status !== 200)
    throw new Error(`token: ${response.status} ${await response.text()}`);
  return (await response.json()).access_token;
}

/** A wrk Lua script (method, headers, body, and an optional per-request delay for a fixed rate). */
export function luaScript(name, { method, headers = {}, body, delayMs } = {}) {
  const lines = [];
  if (method) lines.push(`wrk.method = "${method}"`);
  for (const [key, value] of Object.entries(headers))
    lines.push(`wrk.headers["${key}"] = "${value}"`);
  if (body !== undefined) lines.push(`wrk.body = ${JSON.stringify(body)}`);
  if (delayMs !== undefined) lines.push(`function delay() return ${delayMs} end`);
  const path = join(tmpdir(), `bench-${process.pid}-${name}.lua`);
  writeFileSync(path, `${lines.join('\n')}\n`);
  temporary.push(path);
  return path;
}

function parseWrk(out) {
  const percentile = (p) => {
    const match = new RegExp(`\\s${p}%\\s+([\\d.]+)(us|ms|s)\\b`).exec(out);
    if (!match) return NaN;
    return Number(match[1]) * { us: 0.001, ms: 1, s: 1000 }[match[2]];
  };
  return {
    requests: Number(/(\d+) requests in/.exec(out)?.[1] ?? 0),
    requestsPerSecond: Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? 0),
    p50Ms: percentile(50),
    p99Ms: percentile(99),
    non2xx: Number(/Non-2xx or 3xx responses:\s+(\d+)/.exec(out)?.[1] ?? 0),
    errors: Number(/Socket errors:.*?timeout (\d+)/.exec(out)?.[1] ?? 0),
  };
}

/** wrk in its own process; CPU seconds of the watched PIDs over the run, per request. */
export async function wrk(url, { seconds, connections, script, cpuPids = {} }) {
  const before = Object.fromEntries(
    Object.entries(cpuPids).map(([k, pid]) => [k, cpuSeconds(pid)]),
  );
  const args = ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency'];
  if (script) args.push('-s', script);
  args.push(url);
  const out = await new Promise((resolve, reject) =>
    execFile('wrk', args, { encoding: 'utf8' }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    ),
  );
  const result = parseWrk(out);
  const cpuMicrosPerRequest = {};
  for (const [key, pid] of Object.entries(cpuPids)) {
    cpuMicrosPerRequest[key] =
      result.requests === 0
        ? NaN
        : round(((cpuSeconds(pid) - before[key]) * 1e6) / result.requests, 1);
  }
  return { ...result, cpuMicrosPerRequest };
}

export function median(values) {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function round(value, digits = 3) {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export function machine() {
  const list = cpus();
  return {
    cores: list.length,
    model: list[0]?.model ?? 'unknown',
    memoryGiB: round(totalmem() / 2 ** 30, 1),
    node: process.version,
    loadAverage: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
  };
}

export function writeResult(name, result) {
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  const document = {
    scenario: name,
    date: new Date().toISOString(),
    quick,
    machine: machine(),
    ...result,
  };
  writeFileSync(join(root, `bench/results/${name}.json`), `${JSON.stringify(document, null, 2)}\n`);
  return document;
}
