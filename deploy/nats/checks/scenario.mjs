// One scenario of the permission check (deploy/nats/check.mjs): the committed configuration
// started in a temporary folder, the checks run against it, everything stopped and removed.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { USERS, passwordVariable } from '../permissions.mjs';
import { check, report } from '../platform-checks.mjs';
import { describe, openLink } from './clients.mjs';
import { exercise } from './exercise.mjs';
import { stageConfig, startServers, stopServers } from './nats-server.mjs';
import { checkReplicas, nothingLowered, raiseOnUpgrade } from './replicas.mjs';

/** deploy/nats/, where the committed configuration is */
const configs = join(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * @typedef {object} Scenario
 * @property {string} title
 * @property {boolean} cluster the 3-node cluster of deploy/nats/cluster/, else nats.conf
 * @property {'edge-first' | 'owners-first'} ordering who starts first: the gateway or the owners
 * @property {number} replicas NATS_JS_REPLICAS of every service
 */

/**
 * JetStream in a cluster answers once a meta leader is elected.
 * @param {string} urls
 * @param {Record<string, string>} passwords
 */
async function metaLeader(urls, passwords) {
  await check('cluster: 3 nodes up, JetStream meta leader elected', async () => {
    const link = await openLink('audit', urls, passwords);
    const started = Date.now();
    try {
      for (;;) {
        try {
          await (await jetstreamManager(link.connection)).getAccountInfo();
          return `${Date.now() - started} ms`;
        } catch (error) {
          if (Date.now() - started > 20_000) throw error;
          await delay(250);
        }
      }
    } finally {
      await link.close();
    }
  });
}

/** @param {string} urls */
async function wrongPassword(urls) {
  await check('a wrong password is refused', async () => {
    try {
      const nc = await connect({
        servers: urls.split(','),
        user: 'gateway',
        pass: 'not-the-password',
        maxReconnectAttempts: 0,
      });
      await nc.close();
    } catch (error) {
      return describe(error);
    }
    throw new Error('connected');
  });
}

/**
 * @param {Scenario} scenario
 * @param {boolean} verbose
 */
export async function scenario({ title, cluster, ordering, replicas }, verbose) {
  console.log(`\n== ${title}`);
  const dir = mkdtempSync(join(tmpdir(), 'le-nats-check-'));
  // a letter, then hex: nats-server parses the variable as a config value (docs/deployment.md)
  const passwords = Object.fromEntries(
    USERS.map((u) => [u.name, `n${randomBytes(24).toString('hex')}`]),
  );
  const env = Object.fromEntries(USERS.map((u) => [passwordVariable(u.name), passwords[u.name]]));
  const files = cluster
    ? [1, 2, 3].map((n) => ({
        source: join(configs, 'cluster', `node-${n}.conf`),
        target: `cluster/node-${n}.conf`,
      }))
    : [{ source: join(configs, 'nats.conf'), target: 'nats.conf' }];
  let servers = [];
  /** @type {Record<string, import('@loyalty-edge/nats').NatsLink>} */
  let links = {};
  try {
    // a spare port can be taken by another process between choosing and binding it: retry
    for (let attempt = 1; ; attempt += 1) {
      try {
        servers = await startServers(await stageConfig(dir, files), env);
        break;
      } catch (error) {
        if (attempt >= 3 || !/address already in use/.test(String(error))) throw error;
      }
    }
    const urls = servers.map((s) => `nats://127.0.0.1:${s.client}`).join(',');
    const monitors = servers.map((s) => s.monitor);
    if (cluster) await metaLeader(urls, passwords);
    await wrongPassword(urls);
    if (cluster) await raiseOnUpgrade(urls, passwords);
    links = await exercise({ urls, monitors, passwords, ordering, replicas }, verbose);
    await checkReplicas(links, replicas);
    if (cluster) await nothingLowered(urls, passwords, replicas);
  } catch (error) {
    report('fail', `${title}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all(Object.values(links).map((link) => link.close().catch(() => undefined)));
    await stopServers(servers);
    rmSync(dir, { recursive: true, force: true });
  }
}
