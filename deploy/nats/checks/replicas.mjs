// The copies of each stream and bucket in the permission check (deploy/nats/check.mjs): on the
// cluster an owner raises an older object to NATS_JS_REPLICAS, the gateway (which may not) leaves
// it, and a service left at 1 lowers nothing.
import { jetstreamManager } from '@nats-io/jetstream';
import { KvWatcher, kvPut, openBucket } from '@loyalty-edge/nats';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { check } from '../platform-checks.mjs';
import { PREFIX, ensureAuditStream, openLink, waitFor } from './clients.mjs';

/** @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink */

const API_KEYS = `KV_${PREFIX}_api_keys`;
const AUDIT = `${PREFIX}_AUDIT`;

/**
 * What each user creates: the streams and buckets it owns.
 * @type {[string, string][]}
 */
const OWNED = [
  ['credentials', API_KEYS],
  ['management-api', `KV_${PREFIX}_workspaces`],
  ['ip-filter', `KV_${PREFIX}_ip_filters`],
  ['signature', `KV_${PREFIX}_signature_enforcement`],
  ['token', `KV_${PREFIX}_jwks`],
  ['token', `KV_${PREFIX}_auth_clients`],
  ['gateway', `KV_${PREFIX}_escher_replay`],
  ['audit', AUDIT],
  ['loyalty-api', `${PREFIX}_LOYALTY_ASYNC`],
];

/**
 * num_replicas of a stream (a KV bucket is the stream `KV_<bucket>`).
 * @param {NatsLink} link
 * @param {string} stream
 */
async function replicasOf(link, stream) {
  return (await (await jetstreamManager(link.connection)).streams.info(stream)).config.num_replicas;
}

/**
 * An upgrade on the cluster: the objects of an older release have 1 replica; the services now
 * run with NATS_JS_REPLICAS=3. The gateway (may not update a policy bucket) opens and watches it
 * as it is, the owner raises it while the gateway watches, and the watch goes on.
 * @param {string} urls
 * @param {Record<string, string>} passwords
 */
export async function raiseOnUpgrade(urls, passwords) {
  const opened = [];
  const open = async (user, replicas) => {
    const link = await openLink(user, urls, passwords, replicas);
    opened.push(link);
    return link;
  };
  try {
    await check('an older release (NATS_JS_REPLICAS=1) created api_keys and AUDIT', async () => {
      await openBucket(await open('credentials', 1), KV_BUCKETS.apiKeys);
      await ensureAuditStream(await open('audit', 1));
      const counts = [await replicasOf(opened[0], API_KEYS), await replicasOf(opened[1], AUDIT)];
      if (counts.some((n) => n !== 1)) throw new Error(`replicas ${counts.join(', ')}`);
      return '1 replica each';
    });
    const gateway = await open('gateway', 3);
    const seen = new Set();
    /** @type {KvWatcher | undefined} */
    let watcher;
    await check(
      'gateway (NATS_JS_REPLICAS=3) opens and watches api_keys, which it may not raise',
      async () => {
        const started = performance.now();
        const kv = await openBucket(gateway, KV_BUCKETS.apiKeys);
        const ms = performance.now() - started;
        watcher = new KvWatcher(kv, (change) => seen.add(change.key));
        await watcher.start();
        await watcher.synced;
        const count = await replicasOf(gateway, API_KEYS);
        if (count !== 1) throw new Error(`replicas ${count}`);
        if (ms > 1500) throw new Error(`opening took ${ms.toFixed(0)} ms (a timeout?)`);
        return `left at 1 replica, opened in ${ms.toFixed(0)} ms`;
      },
    );
    await check(
      "credentials (NATS_JS_REPLICAS=3) raises api_keys to 3; the gateway's watch goes on",
      async () => {
        const credentials = await open('credentials', 3);
        const kv = await openBucket(credentials, KV_BUCKETS.apiKeys);
        const count = await replicasOf(credentials, API_KEYS);
        if (count !== 3) throw new Error(`replicas ${count}`);
        await kvPut(kv, 'ak_after_raise', { workspaceId: 'ws1', status: 'active', version: 1 });
        const ms = await waitFor(() => seen.has('ak_after_raise'), 10_000, 'the watch');
        return `1 → 3, change seen after ${ms} ms`;
      },
    );
    watcher?.stop();
    await check('audit (NATS_JS_REPLICAS=3): ensureStream raises AUDIT to 3', async () => {
      const audit = await open('audit', 3);
      await ensureAuditStream(audit);
      const count = await replicasOf(audit, AUDIT);
      if (count !== 3) throw new Error(`replicas ${count}`);
      return '1 → 3';
    });
  } finally {
    await Promise.all(opened.map((link) => link.close().catch(() => undefined)));
  }
}

/**
 * Every stream and bucket has `replicas` copies, each checked by its owner.
 * @param {Record<string, NatsLink>} links
 * @param {number} replicas
 */
export async function checkReplicas(links, replicas) {
  await check(
    `every stream and bucket has ${replicas} replica(s) (NATS_JS_REPLICAS=${replicas})`,
    async () => {
      const off = [];
      for (const [user, stream] of OWNED) {
        const count = await replicasOf(/** @type {NatsLink} */ (links[user]), stream);
        if (count !== replicas) off.push(`${stream}: ${count}`);
      }
      if (off.length > 0) throw new Error(off.join(', '));
      return `${OWNED.length} objects, each checked by its owner`;
    },
  );
}

/**
 * On the cluster: owners left at NATS_JS_REPLICAS=1 open their objects and lower nothing.
 * @param {string} urls
 * @param {Record<string, string>} passwords
 * @param {number} replicas
 */
export async function nothingLowered(urls, passwords, replicas) {
  await check(
    'a service left at NATS_JS_REPLICAS=1 lowers nothing (openBucket, ensureStream)',
    async () => {
      const credentials = await openLink('credentials', urls, passwords, 1);
      const audit = await openLink('audit', urls, passwords, 1);
      try {
        await openBucket(credentials, KV_BUCKETS.apiKeys);
        await ensureAuditStream(audit);
        const counts = [await replicasOf(credentials, API_KEYS), await replicasOf(audit, AUDIT)];
        if (counts.some((n) => n !== replicas)) throw new Error(`replicas ${counts.join()}`);
        return `api_keys and AUDIT keep ${replicas}`;
      } finally {
        await Promise.all([credentials.close(), audit.close()]);
      }
    },
  );
}
