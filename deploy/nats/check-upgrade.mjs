#!/usr/bin/env node
// An upgrade of a running platform, without a failed request. nats-server applies a permission
// change at once and drops subscriptions it no longer allows, so the chart grants the union of
// the current matrix and the previous release's (permissions.previous.json, compat.mjs). This
// check plays the upgrade the way the chart does it:
//   1. nats-server (deploy/nats/nats.conf on spare ports) with the PREVIOUS permissions: the
//      snapshot without management-api's `audit.chain.verify`, so the upgrade has something real
//      to add (the code calls it: GET /api/workspaces/:ws/audit/verify);
//   2. every app (apps/<app>/dist/main.js) under its own NATS user, as check-services.mjs runs
//      them, HTTP apps behind a TCP proxy each (a Kubernetes Service);
//   3. steady traffic: api_key calls through the gateway that must pass (200) and must be refused
//      (401), Escher-signed calls (gateway → signature → credentials), a management write
//      (POST /api/workspaces) and an audit read (management-api → audit);
//   4. the previous set refuses management-api's `audit.chain.verify`;
//   5. accounts.conf replaced by the rendered union, `nats-server --signal reload` (SIGHUP): the
//      new call is allowed, nothing running loses a permission;
//   6. the rollout: every app replaced one at a time as the chart's RollingUpdate does it
//      (maxSurge 1, maxUnavailable 0: the new process ready, then into the Service, the old one
//      out of it, a preStop pause, SIGTERM);
// and counts the failed or wrong answers of the whole run: there must be none.
//
//   node deploy/nats/check-upgrade.mjs
//   node deploy/nats/check-upgrade.mjs --strict   the two known causes below fail the check too
//
// Two causes of a wrong answer lie outside the permission sets and are reported as warnings
// (Traffic.knownCause in rollout-traffic.mjs): a request in flight at the instant of the reload
// (nats-server 2.9.10 forgets every `allow_responses` reply grant at a reload), and a 503/502
// while loyalty-api closes a pooled keep-alive connection of the gateway. Every other wrong
// answer fails the check.
//
// Needs `npm run build`, nats-server (PATH, /usr/sbin or NATS_SERVER) and PostgreSQL
// (DATABASE_URL). Its schemas, streams and buckets carry a random prefix and are dropped at the end.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import Escher from 'escher-auth';
import { DATABASE_APPS, PLATFORM_APPS } from '@loyalty-edge/contracts';
import { antavoParams } from '@loyalty-edge/escher';
import { missingGrants } from './compat.mjs';
import { chartJson, expandForCompare, readSnapshot, renderAccounts } from './permissions.mjs';
import { Admin, check, report, results, send } from './platform-checks.mjs';
import { freePort } from '@loyalty-edge/testing';
import { PlatformRun, waitReady, within } from './platform-processes.mjs';
import { Traffic, service } from './rollout-traffic.mjs';

/**
 * @typedef {import('@loyalty-edge/contracts').AppName} AppName
 * @typedef {import('./platform-processes.mjs').Started & { backend: number }} Instance
 *   an app's process and the port its Service sends to
 */

const run = new PlatformRun('upgrade', 'u');
const { prefix } = run;
/** What the upgrade adds: management-api's right to verify the audit chains. */
const ADDED = { user: 'management-api', subject: '{P}.audit.chain.verify' };
/** The chart's preStopSleepSeconds, shortened. */
const PRE_STOP_MS = 1000;
const { values: options } = parseArgs({ options: { strict: { type: 'boolean', default: false } } });

// ---------------------------------------------------------------------------------------------
// NATS: deploy/nats/nats.conf on spare ports, accounts.conf from a given permission set
// ---------------------------------------------------------------------------------------------

/** The snapshot, less the subject the upgrade adds: the permissions the old pods run under. */
function previousPermissions() {
  const previous = structuredClone(readSnapshot() ?? chartJson({ previous: undefined }));
  const user = previous.users.find((u) => u.name === ADDED.user);
  if (user === undefined) throw new Error(`${ADDED.user}: not in the previous permissions`);
  user.publish.allow = user.publish.allow.filter((s) => s !== ADDED.subject);
  return previous;
}

/**
 * `audit.chain.verify` as management-api's NATS user: 'allowed' once anything answers.
 * @param {string} natsUrl
 * @param {string | undefined} password
 * @param {string} workspaceId
 */
async function chainVerifyAs(natsUrl, password, workspaceId) {
  const nc = await connect({
    servers: natsUrl,
    user: ADDED.user,
    pass: password,
    inboxPrefix: `_INBOX_${ADDED.user}`,
  });
  try {
    await nc.request(
      expandForCompare(ADDED.subject, ADDED.user).replace(/^le\./, `${prefix}.`),
      JSON.stringify({ workspaceId }),
      { timeout: 3000 },
    );
    return 'allowed';
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    if (/permission/i.test(text)) return 'refused (permissions violation)';
    if (/timeout|timed out/i.test(text)) return 'refused (dropped, timeout)';
    return `error: ${text.split('\n')[0]}`;
  } finally {
    await nc.close();
  }
}

async function main() {
  // the apps other processes or clients reach over HTTP, each behind a Service
  const services = {
    'loyalty-api': await service(),
    'management-api': await service(),
    gateway: await service(),
    'admin-web': await service(),
  };
  /** @type {Map<string, import('./rollout-traffic.mjs').Service>} */
  const behindService = new Map(Object.entries(services));
  const { processes, secrets } = run;
  const traffic = new Traffic({ strict: options.strict });
  try {
    await run.pool.connect();
    console.log(`== an upgrade of the running platform, prefix ${prefix}`);
    const [nats] = await run.startNats(
      ['nats.conf'],
      renderAccounts({ prefix, permissions: previousPermissions() }),
    );
    if (nats === undefined) throw new Error('no nats-server started');
    const varz = async () =>
      /** @type {{ config_load_time: string }} */ (
        await (await fetch(`http://127.0.0.1:${nats.monitor}/varz`)).json()
      );
    const anchorKey = randomBytes(32).toString('base64');
    const gatewayHost = `127.0.0.1:${services.gateway.port}`;
    const urls = {
      adminWeb: services['admin-web'].url,
      gateway: `http://${gatewayHost}`,
      managementApi: services['management-api'].url,
      loyaltyApi: services['loyalty-api'].url,
    };
    /**
     * @param {AppName} app
     * @param {{ http: number, data?: number }} ports
     */
    const env = (app, ports) => ({
      ...run.appEnv(app, ports.http, urls),
      // the key that signs the audit chains' heads: the audit service's alone
      ...(app === 'audit' ? { AUDIT_ANCHOR_KEY: anchorKey } : {}),
      // the rate limit stays on (replicas share counts over NATS), above this check's traffic
      RATE_LIMIT_DEFAULT_PER_MINUTE: '100000',
      ...(ports.data ? { GATEWAY_PORT: String(ports.data) } : {}),
    });
    /**
     * Starts one instance of `app` and resolves when it is ready (not yet in its Service).
     * @param {AppName} app
     * @returns {Promise<Instance>}
     */
    const launch = async (app) => {
      const http = await freePort();
      const data = app === 'gateway' ? await freePort() : undefined;
      const instance = { ...processes.app(app, env(app, { http, data })), backend: data ?? http };
      await waitReady(instance, http);
      return instance;
    };

    await check('migrations: node apps/<app>/dist/main.js migrate', async () => {
      await Promise.all(DATABASE_APPS.map((app) => processes.migrate(app, env(app, { http: 0 }))));
      return DATABASE_APPS.join(', ');
    });
    /** @type {Map<AppName, Instance>} */
    const running = new Map();
    await check(
      'every app ready under its own NATS user, on the previous permissions',
      async () => {
        const started = performance.now();
        await Promise.all(
          PLATFORM_APPS.map(async ({ name }) => {
            const instance = await launch(name);
            running.set(name, instance);
            // into its Service once ready (admin-web is ready once management-api answers)
            const svc = behindService.get(name);
            if (svc) svc.backends = [instance.backend];
          }),
        );
        return `${PLATFORM_APPS.length} apps in ${((performance.now() - started) / 1000).toFixed(1)} s`;
      },
    );
    if (results.fail > 0) return;

    // a workspace with credentials, through the management API
    const mgmt = services['management-api'].url;
    const admin = await Admin.login(mgmt, secrets.admin.email, secrets.admin.password);
    const session = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
    /**
     * @param {string} method
     * @param {string} path
     * @param {unknown} [body]
     */
    const manage = (method, path, body) =>
      send(mgmt, {
        method,
        path,
        headers: {
          ...session,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const ws = `ws-${prefix}`;
    await manage('POST', '/api/workspaces', { id: ws, name: 'Upgrade check' });
    const { apiKey, apiSecret } = JSON.parse(
      (await manage('POST', `/api/workspaces/${ws}/credentials`)).body,
    );
    const gateway = services.gateway.url;
    await within(
      5000,
      async () =>
        (await send(gateway, { path: `/customers/-/count?api_key=${apiKey}` })).status === 200,
      'the new key accepted',
    );
    const escher = new Escher({ ...antavoParams('eu'), accessKeyId: apiKey, apiSecret });
    const signed = () => {
      const request = escher.signRequest(
        { method: 'GET', url: '/customers/-/count', headers: [['Host', gatewayHost]] },
        '',
      );
      return send(gateway, {
        path: '/customers/-/count',
        headers: Object.fromEntries(request.headers),
      });
    };

    let writes = 0;
    traffic.start([
      [
        'api_key, valid (200)',
        () => send(gateway, { path: `/customers/-/count?api_key=${apiKey}` }),
        (s) => s === 200,
        10,
      ],
      [
        'api_key, unknown (401)',
        () => send(gateway, { path: '/customers/-/count?api_key=ak_not_a_key_of_anyone' }),
        (s) => s === 401,
        10,
      ],
      ['Escher-signed (200)', signed, (s) => s === 200, 10],
      [
        'management write: POST /api/workspaces (201)',
        () => manage('POST', '/api/workspaces', { id: `${ws}-${(writes += 1)}`, name: 'Upgrade' }),
        (s) => s >= 200 && s < 300,
        150,
      ],
      [
        'management → audit: change log (200)',
        () => manage('GET', `/api/workspaces/${ws}/audit/changes`),
        (s) => s === 200,
        150,
      ],
    ]);
    await delay(2000);

    await check(
      `previous permissions: ${ADDED.user} may not request ${ADDED.subject} (the new code's call)`,
      async () => {
        const outcome = await chainVerifyAs(run.natsUrl, secrets.passwords[ADDED.user], ws);
        if (outcome === 'allowed') throw new Error('allowed');
        const missing = missingGrants(chartJson(), previousPermissions(), expandForCompare);
        return `${outcome}; the previous set lacks ${missing.join(', ')}`;
      },
    );

    traffic.phase = 'reload';
    await check(
      'accounts.conf → the rendered union, nats-server --signal reload (SIGHUP)',
      async () => {
        const before = (await varz()).config_load_time;
        writeFileSync(join(run.dir, 'accounts.conf'), renderAccounts({ prefix }));
        traffic.reloadAt = performance.now();
        nats.child.kill('SIGHUP');
        await within(5000, async () => (await varz()).config_load_time !== before, 'reload');
        return 'config_load_time moved';
      },
    );
    await check(`after the reload: ${ADDED.user} may request ${ADDED.subject}`, async () => {
      const outcome = await chainVerifyAs(run.natsUrl, secrets.passwords[ADDED.user], ws);
      if (outcome !== 'allowed') throw new Error(outcome);
      const res = await manage('GET', `/api/workspaces/${ws}/audit/verify`);
      if (res.status !== 200) throw new Error(`GET …/audit/verify → ${res.status} ${res.body}`);
      return 'over NATS, and GET /api/workspaces/:ws/audit/verify 200 from the running app';
    });
    await delay(1000);

    // the rollout: one app at a time, as a RollingUpdate with maxSurge 1, maxUnavailable 0
    const rollout = performance.now();
    const before = traffic.total;
    for (const { name: app } of PLATFORM_APPS) {
      traffic.phase = `rollout ${app}`;
      await check(`rollout: ${app} replaced while traffic flows`, async () => {
        const started = performance.now();
        const old = running.get(app);
        if (old === undefined) throw new Error('not running');
        const next = await launch(app);
        const svc = behindService.get(app);
        if (svc) {
          svc.backends = [old.backend, next.backend];
          await delay(200);
          svc.backends = [next.backend];
        }
        await delay(PRE_STOP_MS);
        await processes.stop(old);
        running.set(app, next);
        return `${((performance.now() - started) / 1000).toFixed(1)} s`;
      });
    }
    const during = traffic.total - before;
    const seconds = ((performance.now() - rollout) / 1000).toFixed(1);
    traffic.phase = 'after the rollout';
    await delay(1500);
    await traffic.stop();
    for (const [kind, { total, failed, known }] of traffic.counts) {
      console.log(
        `        ${kind}: ${total} requests, ${failed} failed, ${known} of a known cause`,
      );
    }
    for (const line of traffic.known) report('warn', `known cause, not the permissions: ${line}`);
    await check('no failed or wrong answer during the whole run', async () => {
      if (traffic.failed > 0)
        throw new Error(`${traffic.failed}:\n${traffic.failures.slice(0, 10).join('\n')}`);
      return `${traffic.total} requests, ${during} of them during the ${seconds} s rollout, ${writes} writes, ${traffic.knownFailed} of a known cause (above), 0 other`;
    });
  } finally {
    await traffic.stop();
    for (const svc of Object.values(services)) svc.server.close();
    await run.cleanUp();
  }
}

const started = performance.now();
try {
  await main();
} catch (error) {
  report('fail', error instanceof Error ? error.message : String(error));
}
console.log(
  `\nupgrade under NATS permissions: ${results.ok} ok, ${results.fail} failed, ${results.warn} warning(s) (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);
process.exit(results.fail === 0 ? 0 : 1);
