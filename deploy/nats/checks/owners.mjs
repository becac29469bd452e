// The owners' own NATS work in the permission check (deploy/nats/check.mjs): each service opens
// and writes its buckets and serves its requests; the outbox of every owner; audit's stream and
// durable consumer. Later checks use what it leaves (Owners).
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  EventPublisher,
  KvWatcher,
  RpcClient,
  kvDelete,
  kvPut,
  openBucket,
} from '@loyalty-edge/nats';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { AUDIT_EVENT_SUBJECTS, AuditRpc } from '@loyalty-edge/audit-contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { NatsKvPublisher } from '@loyalty-edge/outbox';
import { BUCKETS } from '../permissions.mjs';
import { check } from '../platform-checks.mjs';
import { PREFIX, ensureAuditStream, readBack, serve } from './clients.mjs';

/**
 * What the owners' checks leave for later ones.
 * @typedef {object} Owners
 * @property {{ count: number }} secretReplies how often credentials answered secret.resolve
 * @property {(string | undefined)[]} secretReplyTo the inboxes it sent those answers to
 * @property {object} credentialCounts the requests credentials served, by subject
 * @property {RpcClient} signatureRpc
 * @property {RpcClient} managementRpc
 * @property {EventPublisher} tokenEvents
 * @property {string[]} auditReceived the subjects audit's durable consumer received
 * @property {import('@nats-io/jetstream').ConsumerMessages | undefined} auditMessages
 */

/**
 * @param {(name: string) => import('@loyalty-edge/nats').NatsLink} link a connected user
 * @returns {Promise<Owners>}
 */
export async function ownersWork(link) {
  // credentials: its bucket and the only responder to secret.resolve
  const credentials = link('credentials');
  const secretReplies = { count: 0 };
  let credentialCounts = {};
  const secretReplyTo = [];
  await check('credentials: opens api_keys and puts a record', async () => {
    const kv = await openBucket(credentials, KV_BUCKETS.apiKeys);
    await kvPut(kv, 'ak_boot', { workspaceId: 'ws1', status: 'active', version: 1 });
  });
  await check(
    `credentials: serves ${CredentialsRpc.resolveSecret.subject} and the api-key subjects`,
    async () => {
      credentialCounts = serve(credentials, 'credentials', {
        [CredentialsRpc.resolveSecret.subject]: ({ apiKey }, reply) => {
          secretReplies.count += 1;
          secretReplyTo.push(reply);
          return { workspaceId: 'ws1', secret: `secret-of-${apiKey}` };
        },
        [CredentialsRpc.getActive.subject]: () => null,
        [CredentialsRpc.generate.subject]: () => ({ apiKey: 'ak_new', apiSecret: 'shown-once' }),
      });
      await credentials.connection.flush();
    },
  );

  // signature: derives day keys from secrets it asks credentials for
  const signature = link('signature');
  await check('signature: opens signature_enforcement, puts and reads a record', async () => {
    const kv = await openBucket(signature, KV_BUCKETS.signatureEnforcement);
    await kvPut(kv, 'ws1', { workspaceId: 'ws1', apis: ['events'], revision: 1 });
    const back = await readBack(kv, 'ws1');
    if (back?.apis?.[0] !== 'events') throw new Error('read back something else');
  });
  const signatureRpc = new RpcClient(signature);
  await check(`signature: serves ${SignatureRpc.deriveKey.subject} and enforcement`, async () => {
    serve(signature, 'signature', {
      [SignatureRpc.deriveKey.subject]: async ({ apiKey }) => {
        const resolved = await signatureRpc.request(CredentialsRpc.resolveSecret, { apiKey });
        if (resolved === null) throw new Error(`no secret for ${apiKey}`);
        return {
          workspaceId: resolved.workspaceId,
          signingKey: Buffer.from('derived').toString('base64'),
        };
      },
      [SignatureRpc.getEnforcement.subject]: ({ workspaceId }) => ({ workspaceId, apis: [] }),
      [SignatureRpc.setEnforcement.subject]: ({ workspaceId, apis }) => ({
        workspaceId,
        apis,
        before: [],
      }),
    });
    await signature.connection.flush();
  });
  await check(
    `signature: may request ${PREFIX}.${CredentialsRpc.resolveSecret.subject}`,
    async () => {
      const before = secretReplies.count;
      const reply = await signatureRpc.request(CredentialsRpc.resolveSecret, { apiKey: 'ak_boot' });
      if (!reply?.secret || secretReplies.count !== before + 1)
        throw new Error('no secret came back');
      return 'answered by credentials';
    },
  );

  // ip-filter: put, get, delete on its bucket
  const ipFilter = link('ip-filter');
  await check('ip-filter: opens ip_filters; put, get, delete, keys', async () => {
    const kv = await openBucket(ipFilter, KV_BUCKETS.ipFilters);
    await kvPut(kv, 'ws1', { workspaceId: 'ws1', apis: { events: ['10.0.0.0/8'] } });
    if (!(await readBack(kv, 'ws1'))) throw new Error('no value read back');
    await kvPut(kv, 'ws2', { workspaceId: 'ws2', apis: {} });
    await kvDelete(kv, 'ws2');
    // owners read their own bucket (the outbox reconcile): an ordered consumer, as kv.keys()
    const keys = [];
    for await (const key of await kv.keys()) keys.push(key);
    if (!keys.includes('ws1')) throw new Error(`keys() listed ${keys.join(', ')}`);
    serve(ipFilter, 'ip-filter', {
      [IpFilterRpc.getLists.subject]: ({ workspaceId }) => ({ workspaceId, apis: {} }),
      [IpFilterRpc.update.subject]: () => ({}),
      [IpFilterRpc.preview.subject]: () => ({}),
    });
    await ipFilter.connection.flush();
  });

  // token: the JWKS bucket, its requests, and its audit events
  const token = link('token');
  const tokenEvents = new EventPublisher(token, { capacity: 100, concurrency: 8 });
  await check(
    'token: opens jwks and auth_clients, puts records, serves its subjects, watches auth_clients',
    async () => {
      const kv = await openBucket(token, KV_BUCKETS.jwks);
      await kvPut(kv, 'current', { keys: [] });
      await kvPut(kv, 'issuer', { issuer: 'http://gw', audiences: [], scopes: [] });
      const clients = await openBucket(token, KV_BUCKETS.authClients);
      await kvPut(clients, 'lec_demo', { workspaceId: 'ws1', status: 'active' });
      const watcher = new KvWatcher(clients, () => undefined);
      await watcher.start();
      await watcher.synced;
      watcher.stop();
      serve(token, 'token', {
        [TokenRpc.jwks.subject]: () => ({ keys: [] }),
        [TokenRpc.issue.subject]: () => ({ accessToken: 'x' }),
        [TokenRpc.listClients.subject]: () => [],
      });
      await token.connection.flush();
    },
  );

  // management-api: the workspaces bucket; requests to every service; change events
  const management = link('management-api');
  const managementRpc = new RpcClient(management);
  await check('management-api: opens workspaces, puts and reads a record', async () => {
    const kv = await openBucket(management, KV_BUCKETS.workspaces);
    await kvPut(kv, 'ws1', {
      id: 'ws1',
      name: 'Demo',
      modules: { ipFilter: true, signatureCheck: true },
    });
    if (!(await readBack(kv, 'ws1'))) throw new Error('no value read back');
  });

  // every owner's outbox (libs/shared/outbox): the relay's puts and delete markers (revisions
  // back), and the reconcile's stream state and headers-only scan of the whole bucket
  for (const bucket of Object.values(KV_BUCKETS)) {
    const owner = BUCKETS[bucket];
    await check(`${owner}: outbox relay writes ${bucket}, its reconcile scans it`, async () => {
      const outbox = new NatsKvPublisher(link(owner));
      const put = await outbox.put(bucket, 'outbox_check', '{"check":true}', 5000);
      const state = await outbox.state(bucket);
      if (state.lastSeq < put) throw new Error(`last sequence ${state.lastSeq} before ${put}`);
      const seen = (await outbox.scan(bucket, false)).get('outbox_check');
      if (seen?.revision !== put || seen.deleted) throw new Error('scan missed the put');
      const removed = await outbox.delete(bucket, 'outbox_check', 5000);
      if (!(await outbox.scan(bucket, false)).get('outbox_check')?.deleted) {
        throw new Error('scan missed the delete');
      }
      return `put rev ${put}, delete rev ${removed}, ${state.messages} entries`;
    });
  }

  // audit: the AUDIT stream (narrowed to events), its durable consumer, its queries
  const audit = link('audit');
  /** @type {string[]} */
  const auditReceived = [];
  /** @type {import('@nats-io/jetstream').ConsumerMessages | undefined} */
  let auditMessages;
  await check(
    'audit: ensureStream(AUDIT) + durable consumer (create, re-create, update)',
    async () => {
      const stream = await ensureAuditStream(audit);
      const jsm = await jetstreamManager(audit.connection);
      const durable = audit.name('audit_writer');
      const config = {
        durable_name: durable,
        filter_subject: audit.subject(AUDIT_EVENT_SUBJECTS),
        ack_policy: AckPolicy.Explicit,
        ack_wait: 30 * 1_000_000_000,
        max_ack_pending: 2000,
      };
      await jsm.consumers.add(stream, config);
      await jsm.consumers.add(stream, config); // a restart: 2.9 accepts the same create again
      await jsm.consumers.update(stream, durable, {
        ack_wait: 31 * 1_000_000_000,
        max_ack_pending: 2000,
      });
      const info = await jsm.consumers.info(stream, durable);
      const consumer = await jetstream(audit.connection).consumers.get(stream, durable);
      auditMessages = await consumer.consume({
        max_messages: 100,
        callback: (message) => {
          auditReceived.push(message.subject);
          message.ack();
        },
      });
      serve(audit, 'audit', {
        [AuditRpc.changes.subject]: () => ({ items: [], next: null }),
        [AuditRpc.failedCall.subject]: () => null,
      });
      await audit.connection.flush();
      return `pending ${info.num_pending}`;
    },
  );
  return {
    secretReplies,
    secretReplyTo,
    credentialCounts,
    signatureRpc,
    managementRpc,
    tokenEvents,
    auditReceived,
    auditMessages,
  };
}
