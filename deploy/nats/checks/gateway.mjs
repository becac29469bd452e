// The gateway's NATS work in the permission check (deploy/nats/check.mjs): the AUDIT stream and
// the watch of every policy bucket at its start, the owners' changes reaching that watch, its
// requests, the replay bucket, and the rate-limit counts its replicas share.
import { setTimeout as delay } from 'node:timers/promises';
import {
  KvWatcher,
  RpcClient,
  ensureStream,
  kvDelete,
  kvPut,
  openBucket,
} from '@loyalty-edge/nats';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { check } from '../platform-checks.mjs';
import { PREFIX, RATE_SUBJECT, openLink, payload, waitFor } from './clients.mjs';

/** @typedef {import('@loyalty-edge/nats').NatsLink} NatsLink */
/**
 * What the gateway's watches saw, by `<bucket>/<key>`, and the watchers.
 * @typedef {{ seen: Map<string, import('@loyalty-edge/nats').KvChange<unknown>>, watchers: KvWatcher<unknown>[] }} Edge
 */

/**
 * The gateway's start: the AUDIT stream, then a watch of every policy bucket, synced.
 * @param {NatsLink} gateway
 * @returns {Promise<Edge>}
 */
export async function gatewayWatch(gateway) {
  await check('gateway: ensureStream(AUDIT) (create or update)', () =>
    ensureStream(gateway, STREAMS.audit),
  );
  const seen = new Map();
  const watchers = [];
  await check(`gateway: opens and watches ${Object.values(KV_BUCKETS).join(', ')}`, async () => {
    for (const bucket of Object.values(KV_BUCKETS)) {
      const kv = await openBucket(gateway, bucket);
      const watcher = new KvWatcher(kv, (change) => seen.set(`${bucket}/${change.key}`, change));
      await watcher.start();
      watchers.push(watcher);
    }
    await Promise.race([
      Promise.all(watchers.map((w) => w.synced)),
      delay(5000).then(() => {
        throw new Error('watchers did not sync');
      }),
    ]);
    return 'synced';
  });
  return { seen, watchers };
}

/**
 * Once the owners run: the gateway restarts, sees their changes, and makes its requests.
 * @param {(name: string) => NatsLink} link a connected user
 * @param {Edge} edge
 */
export async function gatewayFollows(link, edge) {
  const gateway = link('gateway');
  const credentials = link('credentials');
  const ipFilter = link('ip-filter');
  await check('gateway: ensureStream(AUDIT) again after audit narrowed it (a restart)', () =>
    ensureStream(gateway, STREAMS.audit),
  );

  // the hot path: a change by an owner reaches the gateway's watch
  await check('gateway: sees a credentials change through the api_keys watch', async () => {
    const kv = await openBucket(credentials, KV_BUCKETS.apiKeys);
    const started = performance.now();
    await kvPut(kv, 'ak_live', { workspaceId: 'ws1', status: 'active', version: 2 });
    await waitFor(() => edge.seen.has('api_keys/ak_live'), 3000, 'the change');
    return `${(performance.now() - started).toFixed(1)} ms from put to watcher`;
  });
  await check('gateway: sees an ip-filter change and a delete', async () => {
    const kv = await openBucket(ipFilter, KV_BUCKETS.ipFilters);
    await kvPut(kv, 'ws3', { workspaceId: 'ws3', apis: {} });
    await kvDelete(kv, 'ws3');
    await waitFor(
      () => edge.seen.get('ip_filters/ws3')?.value === undefined && edge.seen.has('ip_filters/ws3'),
      3000,
      'the delete',
    );
  });

  // the gateway's requests
  const gatewayRpc = new RpcClient(gateway);
  await check(`gateway: may request ${PREFIX}.${SignatureRpc.deriveKey.subject}`, async () => {
    const key = await gatewayRpc.request(SignatureRpc.deriveKey, {
      apiKey: 'ak_live',
      shortDate: '20260101',
      hashAlgo: 'SHA256',
    });
    if (!key?.signingKey) throw new Error('no derived key');
    return 'a day key, no secret';
  });
  await check(`gateway: may request ${PREFIX}.${TokenRpc.jwks.subject}`, async () => {
    await gatewayRpc.request(TokenRpc.jwks, {});
    return 'answered by token';
  });
  await check(`gateway: may request ${PREFIX}.${TokenRpc.issue.subject}`, async () => {
    await gatewayRpc.request(TokenRpc.issue, { clientId: 'lec_demo', clientSecret: 'x' });
    return 'answered by token';
  });
}

/**
 * REPLAY_PROTECTION's bucket, and the rate-limit counts between gateway replicas.
 * @param {NatsLink} gateway
 * @param {{ urls: string, passwords: Record<string, string>, replicas: number }} server
 */
export async function gatewayShared(gateway, { urls, passwords, replicas }) {
  // REPLAY_PROTECTION: the gateway's escher_replay bucket (entries expire), create-once semantics
  await check('gateway: replay bucket refuses the same signature twice', async () => {
    const kv = await openBucket(gateway, 'escher_replay', { ttlMs: 600_000 });
    await kv.create('sig1', new Uint8Array(0));
    try {
      await kv.create('sig1', new Uint8Array(0));
    } catch (error) {
      if (/wrong last sequence|key exists/i.test(error instanceof Error ? error.message : ''))
        return 'second create refused';
      throw error;
    }
    throw new Error('the second create was accepted');
  });

  // rate limits: every gateway replica publishes its counts and hears every other replica's
  const rateHeard = [];
  await check(
    `gateway: a replica's ${RATE_SUBJECT} reaches another replica (core NATS)`,
    async () => {
      const other = await openLink('gateway', urls, passwords, replicas);
      try {
        other.connection.subscribe(RATE_SUBJECT, {
          callback: (_e, m) => {
            rateHeard.push(m.json());
          },
        });
        await other.connection.flush();
        // In a cluster the subscription reaches the publisher's node a moment after the flush,
        // and core NATS drops what has no interest yet: publish until heard, as a replica does every tick.
        const counts = payload({ replica: 'r1', counts: [['lek_check', 1, 1]] });
        const publishing = setInterval(() => gateway.connection.publish(RATE_SUBJECT, counts), 100);
        gateway.connection.publish(RATE_SUBJECT, counts);
        try {
          const ms = await waitFor(() => rateHeard.length > 0, 5000, 'the counts');
          return `${ms} ms`;
        } finally {
          clearInterval(publishing);
        }
      } finally {
        await other.close();
      }
    },
  );
}
