#!/usr/bin/env node
// Runs the real platform (every app's dist/main.js) against NATS that enforces the permission
// matrix — the 3-node cluster of deploy/nats/cluster/ with NATS_JS_REPLICAS=3, as in production —
// each service connected as its own NATS user (replies on its own `_INBOX_<user>`), under a fresh
// NATS prefix (so the matrix is rendered for a prefix other than `le`, as a platform team would),
// then walks the main flows:
//   admin login → workspace → credentials (management-api → credentials over NATS)
//   api_key call through the gateway to loyalty-api (KV watch: api_keys, workspaces)
//   Escher-signed call (gateway → signature.signing-key.derive → credentials.secret.resolve)
//   signature enforcement on (management-api → signature → KV → gateway)
//   a refused call shows up in the admin's error log (gateway → AUDIT stream → audit → management)
//   REPLAY_PROTECTION on (the gateway's escher_replay bucket)
// and checks that every stream and bucket the services created has NATS_JS_REPLICAS copies.
//
//   node deploy/nats/check-services.mjs
//   node deploy/nats/check-services.mjs --single      one server (deploy/nats/nats.conf), 1 replica
//   LE_APP_ROOT=/path/to/image-like/tree node deploy/nats/check-services.mjs
//
// Needs `npm run build`, nats-server (PATH, /usr/sbin or NATS_SERVER) and PostgreSQL
// (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/postgres). Its schemas, streams and
// buckets carry the random prefix and are dropped at the end.
import { parseArgs } from 'node:util';
import Escher from 'escher-auth';
import { DATABASE_APPS, PLATFORM_APPS } from '@loyalty-edge/contracts';
import { antavoParams } from '@loyalty-edge/escher';
import { renderAccounts } from './permissions.mjs';
import { Admin, check, report, results, send } from './platform-checks.mjs';
import { freePort } from '@loyalty-edge/testing';
import { PlatformRun, waitReady, within } from './platform-processes.mjs';

/** @typedef {import('@loyalty-edge/contracts').AppName} AppName */

// apps/<app>/dist/main.js run from the repository, or (LE_APP_ROOT) an image-like tree with
// production dependencies only
const run = new PlatformRun('services', 'c', process.env.LE_APP_ROOT);
const { prefix } = run;
const { values: options } = parseArgs({ options: { single: { type: 'boolean', default: false } } });
const cluster = !options.single;
// NATS_JS_REPLICAS of every service: a copy on each node of the cluster
const replicas = cluster ? 3 : 1;

// ---------------------------------------------------------------------------------------------
// NATS
// ---------------------------------------------------------------------------------------------

/**
 * @typedef {{ name: string, config?: { num_replicas?: number } }} StreamDetail
 * @typedef {{ account_details?: { stream_detail?: StreamDetail[] }[] }} Jsz
 */

/**
 * Every stream and bucket of this run's prefix, with its replicas, from the servers' /jsz.
 * @param {import('./platform-processes.mjs').NatsServer[]} servers
 */
async function streamReplicas(servers) {
  /** @type {Map<string, number>} */
  const found = new Map();
  for (const server of servers) {
    const res = await fetch(
      `http://127.0.0.1:${server.monitor}/jsz?accounts=true&streams=true&config=true`,
    );
    for (const account of /** @type {Jsz} */ (await res.json()).account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        if (stream.name.startsWith(`${prefix}_`) || stream.name.startsWith(`KV_${prefix}_`))
          found.set(stream.name, stream.config?.num_replicas ?? 1);
      }
    }
  }
  return found;
}

/**
 * What the services create (docs/architecture.md), by owner.
 * @type {[string, string][]}
 */
const OBJECTS = [
  ['credentials', 'KV_{p}_api_keys'],
  ['management-api', 'KV_{p}_workspaces'],
  ['ip-filter', 'KV_{p}_ip_filters'],
  ['signature', 'KV_{p}_signature_enforcement'],
  ['token', 'KV_{p}_jwks'],
  ['token', 'KV_{p}_auth_clients'],
  ['gateway', 'KV_{p}_escher_replay'],
  ['audit', '{p}_AUDIT'],
  ['loyalty-api', '{p}_LOYALTY_ASYNC'],
];

/** @param {import('./platform-processes.mjs').NatsServer[]} servers */
async function checkReplicas(servers) {
  const found = await streamReplicas(servers);
  const off = [];
  for (const [owner, pattern] of OBJECTS) {
    const name = pattern.replace('{p}', prefix);
    if (!found.has(name)) off.push({ owner, text: `${name} missing` });
    else if (found.get(name) !== replicas)
      off.push({ owner, text: `${name}: ${found.get(name)} replica(s)` });
  }
  const title = `every stream and bucket the services created has NATS_JS_REPLICAS=${replicas} copies`;
  if (off.length > 0) {
    report('fail', `${title}: ${off.map((o) => o.text).join(', ')}`);
    return;
  }
  report('ok', `${title} (${OBJECTS.length} of ${OBJECTS.length}, from /jsz)`);
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const { processes, secrets } = run;
  try {
    await run.pool.connect();
    console.log(`== the platform under NATS users, prefix ${prefix}`);

    // nats-server: deploy/nats/cluster/node-{1,2,3}.conf (or nats.conf) on spare ports, the
    // matrix rendered for this prefix
    const nats = await run.startNats(
      cluster ? [1, 2, 3].map((n) => `cluster/node-${n}.conf`) : ['nats.conf'],
      renderAccounts({ prefix }),
    );
    console.log(
      cluster
        ? `   NATS: 3-node cluster, NATS_JS_REPLICAS=${replicas}`
        : `   NATS: one server, NATS_JS_REPLICAS=${replicas}`,
    );

    // filled in at once, for every app
    const ports = /** @type {Record<AppName, number>} */ ({});
    for (const { name } of PLATFORM_APPS) ports[name] = await freePort();
    const gatewayData = await freePort();
    /** @param {AppName} app */
    const base = (app) => `http://127.0.0.1:${ports[app]}`;
    const urls = {
      adminWeb: base('admin-web'),
      gateway: `http://127.0.0.1:${gatewayData}`,
      managementApi: base('management-api'),
      loyaltyApi: base('loyalty-api'),
    };
    /** @param {AppName} app */
    const env = (app) => ({
      ...run.appEnv(app, ports[app], urls),
      NATS_JS_REPLICAS: String(replicas),
      GATEWAY_PORT: String(gatewayData),
      REPLAY_PROTECTION: 'true',
    });

    await check(
      'migrations: node apps/<app>/dist/main.js migrate, for every service with a schema',
      async () => {
        await Promise.all(DATABASE_APPS.map((app) => processes.migrate(app, env(app))));
        return DATABASE_APPS.join(', ');
      },
    );
    const started = PLATFORM_APPS.map(({ name }) => ({
      name,
      app: processes.app(name, env(name)),
    }));
    for (const { name, app } of started) {
      await check(
        `${name}: ready (/readyz 200) as NATS user ${name === 'admin-web' ? '(none)' : name}`,
        () => waitReady(app, ports[name]),
      );
    }
    if (results.fail > 0) return;

    const session = await Admin.login(
      base('management-api'),
      secrets.admin.email,
      secrets.admin.password,
    );
    const ws = `ws-${prefix}`;
    const gateway = urls.gateway;
    let apiKey = '';
    let apiSecret = '';
    await check('management-api → credentials: workspace, then credentials generated', async () => {
      await session.ok('POST', '/api/workspaces', { id: ws, name: 'Permission check' });
      ({ apiKey, apiSecret } = await session.ok('POST', `/api/workspaces/${ws}/credentials`));
      return apiKey.slice(0, 8) + '…';
    });
    await check('gateway: the new key works (KV watch → gateway → loyalty-api)', async () => {
      const ms = await within(
        3000,
        async () =>
          (await send(gateway, { path: `/customers/-/count?api_key=${apiKey}` })).status === 200,
        'key accepted',
      );
      return `${ms.toFixed(0)} ms after generate`;
    });
    const params = { ...antavoParams('eu'), accessKeyId: apiKey, apiSecret };
    /**
     * @param {string} method
     * @param {string} url
     */
    const signed = (method, url, body = '') => {
      /** @type {[string, string][]} */
      const headers = [['Host', `127.0.0.1:${gatewayData}`]];
      if (body !== '') headers.push(['Content-Type', 'application/json']);
      const request = new Escher(params).signRequest({ method, url, headers }, body);
      return { method, path: url, headers: Object.fromEntries(request.headers), body };
    };
    await check(
      'gateway → signature → credentials: an Escher-signed call is accepted',
      async () => {
        const res = await send(
          gateway,
          signed(
            'POST',
            '/events',
            JSON.stringify({ customer: 'c1', action: 'opt_in', data: { first_name: 'Ada' } }),
          ),
        );
        if (res.status !== 200) throw new Error(`${res.status} ${res.body}`);
        return 'derived day key';
      },
    );
    await check(
      'gateway: REPLAY_PROTECTION refuses the same signed request twice (escher_replay KV)',
      async () => {
        const request = signed('GET', '/customers/c1');
        const first = await send(gateway, request);
        const second = await send(gateway, request);
        if (first.status !== 200 || second.status !== 401)
          throw new Error(`${first.status} then ${second.status}`);
        return '200 then 401';
      },
    );
    await check(
      'management-api → signature → KV → gateway: enforcement refuses plain api_key',
      async () => {
        await session.switchModules(ws, { signatureCheck: true });
        const enforcement = `/api/workspaces/${ws}/signature-enforcement`;
        await session.change(enforcement, 'PUT', enforcement, { apis: ['customer'] });
        const ms = await within(
          3000,
          async () =>
            (await send(gateway, { path: `/customers/c1?api_key=${apiKey}` })).status === 401,
          'plain key refused',
        );
        return `${ms.toFixed(0)} ms`;
      },
    );
    await check(
      'gateway → AUDIT → audit → management-api: a refused call is in the error log',
      async () => {
        // a known key on an unknown customer: 404 from loyalty-api (401 once enforced), recorded by the gateway
        await send(gateway, { path: `/customers/nobody?api_key=${apiKey}` });
        await within(
          5000,
          async () => {
            const { items } = await session.ok('GET', `/api/workspaces/${ws}/errors`);
            return items.some((item) => item.status >= 400);
          },
          'failed call listed',
        );
      },
    );
    await check(
      'management-api → token → KV → gateway → token → loyalty-api: an auth client gets a token that calls Async Events',
      async () => {
        await session.switchModules(ws, { asyncEvents: true });
        const options = await session.ok('GET', '/api/auth-client-options');
        const client = await session.ok('POST', `/api/workspaces/${ws}/auth-clients`, {
          name: 'permission check',
          purpose: 'NATS permissions',
          expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
          scopes: options.scopes,
          audience: options.audiences[0],
        });
        const basic = Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64');
        const request = {
          method: 'POST',
          path: '/v1/auth/token',
          headers: {
            Authorization: `Basic ${basic}`,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: 'grant_type=client_credentials',
        };
        let issued = { status: 0, body: '' };
        await within(
          3000,
          async () => (issued = await send(gateway, request)).status === 200,
          'token issued',
        );
        const token = JSON.parse(issued.body).access_token;
        const call = await send(gateway, {
          method: 'POST',
          path: '/v1/async/events',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ customer: 'c1', action: 'point_add', data: { points: 5 } }),
        });
        if (call.status !== 200) throw new Error(`async event ${call.status} ${call.body}`);
        await session.ok('POST', `/api/workspaces/${ws}/auth-clients/${client.clientId}/revoke`);
        const ms = await within(
          3000,
          async () =>
            (
              await send(gateway, {
                path: '/v1/async/events/00000000-0000-4000-8000-000000000000',
                headers: { Authorization: `Bearer ${token}` },
              })
            ).status === 401,
          'revoked token refused',
        );
        return `token issued and used; refused ${ms.toFixed(0)} ms after the revoke`;
      },
    );
    await check('management-api → audit: the change log lists the admin changes', async () => {
      const page = await session.ok('GET', `/api/workspaces/${ws}/audit/changes`);
      if (!Array.isArray(page.items) || page.items.length === 0)
        throw new Error('empty change log');
      return `${page.items.length} change(s)`;
    });
    await checkReplicas(nats);
  } finally {
    await run.cleanUp();
  }
}

try {
  await main();
} catch (error) {
  report('fail', error instanceof Error ? error.message : String(error));
}
console.log(
  `\nplatform under NATS permissions: ${results.ok} ok, ${results.fail} failed, ${results.skip} skipped, ${results.warn} warning(s)`,
);
process.exit(results.fail === 0 ? 0 : 1);
