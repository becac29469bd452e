#!/usr/bin/env node
// Proves the NATS permission matrix (deploy/nats/permissions.mjs) against a real nats-server:
// starts deploy/nats/nats.conf (and the 3-node cluster of deploy/nats/cluster/) on spare loopback
// ports in a temporary folder, connects one client per service user with the project's own NATS
// library (libs/shared/nats: NatsLink, openBucket, KvWatcher, EventPublisher, ensureStream) and
// the subjects of the contracts, and checks
//   - that every service can do its own work: serve its requests, KV open/put/get/delete/watch,
//     stream create/update, JetStream publish, durable pull consumers with acks, all with its
//     replies on its own inbox `_INBOX_<user>` (NatsLink.open sets `inboxPrefix`);
//   - that gateway replicas reach one another on the rate-limit subject, which no other user may
//     publish to or subscribe to;
//   - that what it must not do is refused: above all, only `signature` may request
//     `<prefix>.credentials.secret.resolve`, only `credentials` may answer it, and no other user
//     can read the reply (neither `_INBOX_signature.>` nor `_INBOX.>`);
//   - on the 3-node cluster, that streams and buckets get NATS_JS_REPLICAS (3) copies, that an
//     owner raises an older object with fewer, and that nothing lowers them.
//
//   node deploy/nats/check.mjs                  single server (gateway first, owners first) + cluster
//   node deploy/nats/check.mjs --only single    one scenario: single | owners-first | cluster
//   NATS_SERVER=/path/to/nats-server node deploy/nats/check.mjs
//
// Needs the workspace built (`npm run build`: the libraries' dist/) and nats-server on the PATH
// or in /usr/sbin (Debian's 2.9.10 is the reference). Exit status 1 when a check fails.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as delay } from 'node:timers/promises';
import { connect } from '@nats-io/transport-node';
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import {
  EventPublisher,
  KvWatcher,
  NatsLink,
  RpcClient,
  ensureStream,
  kvDelete,
  kvGet,
  kvPut,
  openBucket,
} from '@loyalty-edge/nats';
import { KV_BUCKETS, STREAMS } from '@loyalty-edge/contracts';
import { AUDIT_EVENT_SUBJECTS, AuditEvents, AuditRpc } from '@loyalty-edge/audit-contracts';
import { CredentialsRpc } from '@loyalty-edge/credentials-contracts';
import { IpFilterRpc } from '@loyalty-edge/ip-filter-contracts';
import { LOYALTY_STREAMS, LoyaltyEvents } from '@loyalty-edge/loyalty-contracts';
import { SignatureRpc } from '@loyalty-edge/signature-contracts';
import { TokenRpc } from '@loyalty-edge/token-contracts';
import { RATE_COUNTS_SUBJECT } from '@loyalty-edge/gateway-contracts';
import { NatsKvPublisher } from '@loyalty-edge/outbox';
import { BUCKETS, USERS, inboxFor, passwordVariable, renderAccounts } from './permissions.mjs';
import { freePort } from '@loyalty-edge/testing';

const here = dirname(fileURLToPath(import.meta.url));
const PREFIX = 'le';
const encoder = new TextEncoder();
const decoder = new TextDecoder();

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});

// ---------------------------------------------------------------------------------------------
// reporting
// ---------------------------------------------------------------------------------------------

const results = { ok: 0, fail: 0, warn: 0 };

function report(kind, text) {
  results[kind] += 1;
  const mark = { ok: '  ok  ', fail: '  FAIL', warn: '  WARN' }[kind];
  console.log(`${mark} ${text}`);
}

/** Runs one expectation; a thrown error is a failure with its message. */
async function check(text, fn) {
  try {
    const detail = await fn();
    report('ok', detail ? `${text} (${detail})` : text);
  } catch (error) {
    report('fail', `${text}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function describe(error) {
  return `${error?.name ?? 'Error'}: ${String(error?.message ?? error).split('\n')[0]}`;
}

/** Resolves to a description of why `promise` was refused; throws when it succeeded. */
async function refused(promise, what) {
  try {
    await promise;
  } catch (error) {
    const text = describe(error);
    if (/permission/i.test(text)) return 'permissions violation';
    if (/timeout|timed out/i.test(text)) return 'dropped by the server (timeout)';
    return text;
  }
  throw new Error(`${what} was allowed`);
}

// ---------------------------------------------------------------------------------------------
// nats-server
// ---------------------------------------------------------------------------------------------

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
 */
async function stageConfig(dir, files) {
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

/** Starts nats-server with every config; resolves once each reports JetStream healthy. */
async function startServers(configs, env) {
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

async function stopServers(servers) {
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

// ---------------------------------------------------------------------------------------------
// clients
// ---------------------------------------------------------------------------------------------

/**
 * One service's connection, exactly as the apps open it (`NatsLink.open`: replies on
 * `_INBOX_<user>`), with NATS_JS_REPLICAS = `replicas`.
 */
function openLink(user, servers, passwords, replicas = 1) {
  return NatsLink.open(
    {
      url: servers,
      prefix: PREFIX,
      user,
      password: passwords[user],
      requestTimeoutMs: 2000,
      replicas,
    },
    user,
  );
}

/** Serves `subjects` like NatsRpcServer: queue group `<prefix>.<service>`, `{ok: result}` replies. */
function serve(link, service, handlers) {
  const counts = {};
  for (const [subject, handler] of Object.entries(handlers)) {
    counts[subject] = 0;
    link.connection.subscribe(link.subject(subject), {
      queue: link.subject(service),
      callback: (error, message) => {
        if (error) return;
        counts[subject] += 1;
        const request = JSON.parse(decoder.decode(message.data) || 'null');
        void Promise.resolve(handler(request, message.reply)).then((ok) =>
          message.respond(encoder.encode(JSON.stringify({ ok }))),
        );
      },
    });
  }
  return counts;
}

/** Subscribes and reports whether the server refused the subscription. */
async function subscriptionRefused(link, subject) {
  const sub = link.connection.subscribe(subject);
  const outcome = await Promise.race([
    sub.closed.then(
      (value) => (value instanceof Error ? describe(value) : 'closed'),
      (error) => describe(error),
    ),
    delay(1000).then(() => undefined),
  ]);
  if (!sub.isClosed()) sub.unsubscribe();
  if (outcome === undefined) throw new Error(`subscribing to ${subject} was allowed`);
  return /permission/i.test(outcome) ? 'permissions violation' : outcome;
}

/**
 * @typedef {{ authorized_user?: string, subscriptions_list_detail?: { subject: string }[] }} Connection
 * @typedef {{ connections?: Connection[] }} Connz
 */

/**
 * Subjects of every client subscription, by NATS user, from the servers' /connz.
 * @param {number[]} monitors
 */
async function subscriptionsByUser(monitors) {
  /** @type {Map<string, string[]>} */
  const byUser = new Map();
  for (const port of monitors) {
    const res = await fetch(`http://127.0.0.1:${port}/connz?subs=detail&auth=true&limit=1024`);
    const connz = /** @type {Connz} */ (await res.json());
    for (const connection of connz.connections ?? []) {
      const user = connection.authorized_user;
      if (!user) continue;
      const subjects = (connection.subscriptions_list_detail ?? []).map((sub) => sub.subject);
      byUser.set(user, [...(byUser.get(user) ?? []), ...subjects]);
    }
  }
  return byUser;
}

/**
 * @typedef {{ config?: { deliver_subject?: string } }} ConsumerDetail
 * @typedef {{ account_details?: { stream_detail?: { consumer_detail?: ConsumerDetail[] }[] }[] }} Jsz
 */

/**
 * The deliver subject of every push consumer of the account, from the servers' /jsz.
 * @param {number[]} monitors
 */
async function deliverSubjects(monitors) {
  const subjects = new Set();
  for (const port of monitors) {
    const res = await fetch(
      `http://127.0.0.1:${port}/jsz?accounts=true&streams=true&consumers=true&config=true`,
    );
    const jsz = /** @type {Jsz} */ (await res.json());
    for (const account of jsz.account_details ?? []) {
      for (const stream of account.stream_detail ?? []) {
        for (const consumer of stream.consumer_detail ?? []) {
          if (consumer.config?.deliver_subject) subjects.add(consumer.config.deliver_subject);
        }
      }
    }
  }
  return [...subjects];
}

/**
 * Reads a key back after a put. In a cluster a direct get may be answered by a replica that has
 * not applied the put yet (KV reads are eventually consistent), so it polls for up to 2 s.
 */
async function readBack(kv, key) {
  const started = Date.now();
  for (;;) {
    const value = await kvGet(kv, key);
    if (value !== undefined || Date.now() - started > 2000) return value;
    await delay(20);
  }
}

function waitFor(predicate, timeoutMs, what) {
  const started = Date.now();
  return (async () => {
    while (!predicate()) {
      if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
      await delay(10);
    }
    return Date.now() - started;
  })();
}

const payload = (value) => encoder.encode(JSON.stringify(value));

/**
 * Publishes a stand-in for an event of `contract`: only its subject and who may publish it are
 * under test here, so it carries an id and not the event's other fields.
 * @template P
 * @param {EventPublisher} publisher
 * @param {import('@loyalty-edge/contracts').EventContract<P>} contract
 * @param {{ id: string } & Record<string, unknown>} standIn
 */
function publishStandIn(publisher, contract, standIn) {
  publisher.publish(contract, /** @type {P} */ (/** @type {unknown} */ (standIn)));
}

// ---------------------------------------------------------------------------------------------
// the scenario: every service's NATS work, then what each one must not do
// ---------------------------------------------------------------------------------------------

async function exercise({ urls, monitors, passwords, ordering, replicas }) {
  /** @type {Record<string, NatsLink>} */
  const links = {};
  const serverList = urls.split(',');
  let index = 0;
  for (const { name } of USERS) {
    // in a cluster, spread the users over the nodes so requests and JetStream cross routes
    const rotated = serverList
      .slice(index % serverList.length)
      .concat(serverList.slice(0, index % serverList.length));
    index += 1;
    await check(`${name}: connects as its own user`, async () => {
      links[name] = await openLink(name, rotated.join(','), passwords, replicas);
      return rotated[0].replace(/^nats:\/\//, '');
    });
  }
  if (Object.keys(links).length !== USERS.length) return links;
  /** @param {string} name a NATS user, connected above */
  const link = (name) => {
    const found = links[name];
    if (found === undefined) throw new Error(`${name}: not connected`);
    return found;
  };
  const gateway = link('gateway');
  const credentials = link('credentials');
  const signature = link('signature');
  const token = link('token');
  const audit = link('audit');
  const management = link('management-api');
  const ipFilter = link('ip-filter');
  const loyalty = link('loyalty-api');

  const gatewayWatch = async () => {
    // gateway start: the AUDIT stream, then a watch of every policy bucket, synced
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
  };

  // ordering 'edge-first': the gateway starts before the owners (it creates the buckets and the
  // AUDIT stream); 'owners-first': the owners create them
  let edge;
  if (ordering === 'edge-first') edge = await gatewayWatch();

  // credentials: its bucket and the only responder to secret.resolve
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
  /** @type {string[]} */
  const auditReceived = [];
  /** @type {import('@nats-io/jetstream').ConsumerMessages | undefined} */
  let auditMessages;
  await check(
    'audit: ensureStream(AUDIT) + durable consumer (create, re-create, update)',
    async () => {
      const stream = await ensureStream(
        audit,
        { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS },
        7 * 86_400,
      );
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

  if (ordering === 'owners-first') edge = await gatewayWatch();
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

  // events: gateway, token and management-api publish; audit's durable consumer gets them all
  const gatewayEvents = new EventPublisher(gateway, { capacity: 100, concurrency: 8 });
  const managementEvents = new EventPublisher(management, { capacity: 100, concurrency: 8 });
  await check(
    'gateway, token, management-api: publish their audit events to JetStream',
    async () => {
      publishStandIn(gatewayEvents, AuditEvents.failedCall, { id: 'fc1' });
      publishStandIn(gatewayEvents, AuditEvents.clientIps, { id: 'ip1' });
      publishStandIn(gatewayEvents, AuditEvents.token, { id: 't1' });
      publishStandIn(gatewayEvents, AuditEvents.tokenBatch, { id: 'tb1', events: [] });
      publishStandIn(tokenEvents, AuditEvents.authClient, { id: 'ac1' });
      publishStandIn(managementEvents, AuditEvents.change, { id: 'c1' });
      const flushed = Promise.all([
        gatewayEvents.flush(),
        tokenEvents.flush(),
        managementEvents.flush(),
      ]);
      await Promise.race([
        flushed,
        delay(5000).then(() => Promise.reject(new Error('publishes not acknowledged'))),
      ]);
    },
  );
  await check('audit: its durable consumer receives and acks all six', async () => {
    await waitFor(() => auditReceived.length >= 6, 5000, 'six audit events');
    return [...new Set(auditReceived.map((s) => s.split('.')[2]))].join(', ');
  });

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
  const rateSubject = `${PREFIX}.${RATE_COUNTS_SUBJECT}`;
  const rateHeard = [];
  await check(
    `gateway: a replica's ${rateSubject} reaches another replica (core NATS)`,
    async () => {
      const other = await openLink('gateway', urls, passwords, replicas);
      try {
        other.connection.subscribe(rateSubject, {
          callback: (_e, m) => {
            rateHeard.push(m.json());
          },
        });
        await other.connection.flush();
        gateway.connection.publish(
          rateSubject,
          payload({ replica: 'r1', counts: [['lek_check', 1, 1]] }),
        );
        const ms = await waitFor(() => rateHeard.length > 0, 2000, 'the counts');
        return `${ms} ms`;
      } finally {
        await other.close();
      }
    },
  );

  // loyalty-api: its own work queue
  await check(
    'loyalty-api: LOYALTY_ASYNC stream, durable worker, publish, consume, ack',
    async () => {
      const stream = await ensureStream(loyalty, LOYALTY_STREAMS.asyncEvents);
      const jsm = await jetstreamManager(loyalty.connection);
      const durable = loyalty.name('loyalty_async_worker');
      try {
        await jsm.consumers.info(stream, durable);
      } catch {
        await jsm.consumers.add(stream, {
          durable_name: durable,
          ack_policy: AckPolicy.Explicit,
          ack_wait: 30_000 * 1_000_000,
          max_deliver: -1,
          max_ack_pending: 1000,
          deliver_policy: DeliverPolicy.All,
          filter_subject: loyalty.subject(LOYALTY_STREAMS.asyncEvents.subjects),
        });
      }
      const js = jetstream(loyalty.connection);
      await js.publish(
        loyalty.subject(LoyaltyEvents.asyncEventQueued.subject),
        payload({ correlation_id: 'c1' }),
        { msgID: 'c1' },
      );
      const consumer = await js.consumers.get(stream, durable);
      const messages = await consumer.consume({ max_messages: 8 });
      for await (const message of messages) {
        message.ack();
        break;
      }
      await messages.close();
    },
  );

  // management-api's requests to every service
  await check(
    'management-api: may request credentials, ip-filter, signature, token, audit',
    async () => {
      await managementRpc.request(CredentialsRpc.getActive, { workspaceId: 'ws1' });
      await managementRpc.request(IpFilterRpc.getLists, { workspaceId: 'ws1' });
      await managementRpc.request(SignatureRpc.getEnforcement, { workspaceId: 'ws1' });
      await managementRpc.request(SignatureRpc.deriveKey, {
        apiKey: 'ak_live',
        shortDate: '20260101',
        hashAlgo: 'SHA256',
      });
      await managementRpc.request(TokenRpc.jwks, {});
      await managementRpc.request(TokenRpc.listClients, { workspaceId: 'ws1' });
      await managementRpc.request(AuditRpc.changes, { workspaceId: 'ws1' });
      await managementRpc.request(AuditRpc.failedCall, { workspaceId: 'ws1', id: 'x' });
    },
  );

  // ------------------------------------------------------------------------------------------
  // what must be refused
  // ------------------------------------------------------------------------------------------
  const resolveSubject = `${PREFIX}.${CredentialsRpc.resolveSecret.subject}`;
  for (const name of ['gateway', 'management-api', 'ip-filter', 'token', 'audit', 'loyalty-api']) {
    await check(`${name}: may NOT request ${resolveSubject}`, async () => {
      const before = secretReplies.count;
      const why = await refused(
        link(name).connection.request(resolveSubject, payload({ apiKey: 'ak_live' }), {
          timeout: 1500,
        }),
        'the request',
      );
      await delay(50);
      if (secretReplies.count !== before) throw new Error('credentials received the request');
      return `${why}; credentials never saw it`;
    });
  }
  await check('gateway: may NOT publish to le.credentials.> at all', () =>
    refused(
      gateway.connection.request(`${PREFIX}.${CredentialsRpc.generate.subject}`, payload({}), {
        timeout: 1500,
      }),
      'the request',
    ),
  );
  /** @type {[string, string][]} */
  const impersonations = [
    ['gateway', `${PREFIX}.credentials.>`],
    ['signature', resolveSubject],
    ['management-api', resolveSubject],
    ['gateway', `${PREFIX}.signature.>`],
  ];
  for (const [name, subject] of impersonations) {
    await check(`${name}: may NOT subscribe to ${subject} (cannot impersonate a service)`, () =>
      subscriptionRefused(link(name), subject),
    );
  }
  await check(`token, loyalty-api: may NOT publish or subscribe to ${rateSubject}`, async () => {
    const heard = [];
    const sub = gateway.connection.subscribe(rateSubject, {
      callback: (_e, m) => {
        heard.push(m);
      },
    });
    await gateway.connection.flush();
    for (const name of ['token', 'loyalty-api']) {
      link(name).connection.publish(rateSubject, payload({ replica: 'forged', counts: [] }));
    }
    await delay(300);
    sub.unsubscribe();
    if (heard.length > 0) throw new Error('a forged count reached the gateway');
    for (const name of ['token', 'loyalty-api']) await subscriptionRefused(link(name), rateSubject);
    return 'publish dropped, subscribe refused';
  });
  await check('gateway: may NOT write the api_keys bucket', () =>
    refused(
      jetstream(gateway.connection).publish(
        `$KV.${PREFIX}_api_keys.ak_evil`,
        payload({ status: 'active' }),
        { timeout: 1500 },
      ),
      'the put',
    ),
  );
  await check('gateway: may NOT forge an admin change event', () =>
    refused(
      jetstream(gateway.connection).publish(`${PREFIX}.audit.change.recorded`, payload({}), {
        timeout: 1500,
      }),
      'the publish',
    ),
  );
  await check('gateway: may NOT delete or purge the AUDIT stream', async () => {
    const jsm = await jetstreamManager(gateway.connection);
    await refused(jsm.streams.delete(`${PREFIX}_AUDIT`), 'stream delete');
    return refused(jsm.streams.purge(`${PREFIX}_AUDIT`), 'stream purge');
  });
  await check("gateway: may NOT read the audit consumer's messages", () =>
    refused(
      gateway.connection.request(
        `$JS.API.CONSUMER.MSG.NEXT.${PREFIX}_AUDIT.${PREFIX}_audit_writer`,
        payload({ batch: 1 }),
        { timeout: 1500 },
      ),
      'the pull',
    ),
  );
  await check('loyalty-api: may NOT write the jwks bucket', () =>
    refused(
      jetstream(loyalty.connection).publish(`$KV.${PREFIX}_jwks.current`, payload({}), {
        timeout: 1500,
      }),
      'the put',
    ),
  );
  await check('gateway: may NOT manage auth clients (token.auth-client.create)', () =>
    refused(
      gateway.connection.request(`${PREFIX}.${TokenRpc.createClient.subject}`, payload({}), {
        timeout: 1500,
      }),
      'the request',
    ),
  );
  await check('gateway: may NOT write the auth_clients bucket', () =>
    refused(
      jetstream(gateway.connection).publish(
        `$KV.${PREFIX}_auth_clients.lec_evil`,
        payload({ workspaceId: 'ws1', status: 'active' }),
        { timeout: 1500 },
      ),
      'the put',
    ),
  );
  await check('management-api: may NOT request token.access-token.issue', () =>
    refused(
      management.connection.request(`${PREFIX}.${TokenRpc.issue.subject}`, payload({}), {
        timeout: 1500,
      }),
      'the request',
    ),
  );
  await check('token: may NOT forge a token-log event (the gateway writes that log)', () =>
    refused(
      jetstream(token.connection).publish(`${PREFIX}.audit.token.recorded`, payload({}), {
        timeout: 1500,
      }),
      'the publish',
    ),
  );
  await check('token: may NOT forge a token-log batch either', () =>
    refused(
      jetstream(token.connection).publish(`${PREFIX}.audit.token-batch.recorded`, payload({}), {
        timeout: 1500,
      }),
      'the publish',
    ),
  );
  await check('token: may NOT request ip-filter.list.update', () =>
    refused(
      token.connection.request(`${PREFIX}.${IpFilterRpc.update.subject}`, payload({}), {
        timeout: 1500,
      }),
      'the request',
    ),
  );

  // reply inboxes: each user receives on `_INBOX_<user>` only, and reads no one else's
  await check("credentials: answers signature's secret.resolve on _INBOX_signature.…", () => {
    const elsewhere = secretReplyTo.filter((reply) => !reply?.startsWith('_INBOX_signature.'));
    if (secretReplyTo.length === 0 || elsewhere.length > 0)
      throw new Error(`replies to ${elsewhere.join(', ') || 'nothing'}`);
    return `${secretReplyTo.length} request(s)`;
  });
  await check(
    "every connection subscribes only to its user's inbox and its own service subjects",
    async () => {
      const byUser = await subscriptionsByUser(monitors);
      const problems = [];
      let count = 0;
      for (const { name } of USERS) {
        const own = inboxFor(name).slice(0, -1); // `_INBOX_<user>.`
        for (const subject of byUser.get(name) ?? []) {
          count += 1;
          if (!subject.startsWith(own) && !subject.startsWith(`${PREFIX}.${name}.`))
            problems.push(`${name}: ${subject}`);
        }
        if (!(byUser.get(name) ?? []).some((subject) => subject.startsWith(own)))
          problems.push(`${name}: no subscription on ${own}…`);
      }
      if (problems.length > 0) throw new Error(problems.join(', '));
      return `${count} subscriptions of ${USERS.length} users, from /connz`;
    },
  );
  await check(
    "every push consumer (KV watch, keys) delivers to its user's inbox, none to _INBOX.",
    async () => {
      const delivered = await deliverSubjects(monitors);
      const users = USERS.map((u) => inboxFor(u.name).slice(0, -1));
      const stray = delivered.filter((subject) => !users.some((own) => subject.startsWith(own)));
      if (delivered.length === 0) throw new Error('no push consumer found');
      if (stray.length > 0) throw new Error(stray.join(', '));
      const owners = new Set(delivered.map((subject) => subject.split('.')[0]));
      return `${delivered.length} consumer(s) on ${[...owners].join(', ')}, from /jsz`;
    },
  );

  // who can read the reply that carries a secret? only signature
  for (const snoop of ['_INBOX_signature.>', '_INBOX.>', '>']) {
    await check(
      `gateway: may NOT subscribe to ${snoop}: the reply carrying a secret stays private`,
      async () => {
        const snooped = [];
        let refusal;
        const sub = gateway.connection.subscribe(snoop, {
          callback: (error, message) => {
            if (error) refusal ??= describe(error);
            else if (decoder.decode(message.data).includes('secret-of-'))
              snooped.push(message.subject);
          },
        });
        sub.closed.then(
          (value) => (refusal ??= value instanceof Error ? describe(value) : undefined),
          (error) => (refusal ??= describe(error)),
        );
        await gateway.connection.flush().catch(() => undefined);
        await delay(200);
        // a secret request in flight while the gateway tries to listen
        await signatureRpc.request(CredentialsRpc.resolveSecret, { apiKey: 'ak_live' });
        await delay(200);
        if (!sub.isClosed()) sub.unsubscribe();
        if (snooped.length > 0) throw new Error('the gateway read the reply carrying the secret');
        if (!refusal || !/permission/i.test(refusal))
          throw new Error(`subscription not refused (${refusal ?? 'no error'})`);
        return 'permissions violation; nothing read';
      },
    );
  }
  for (const { name } of USERS.filter((u) => u.name !== 'gateway')) {
    const others = name === 'signature' ? ['_INBOX.>'] : ['_INBOX_signature.>', '_INBOX.>'];
    await check(`${name}: may NOT subscribe to ${others.join(' nor ')}`, async () => {
      const why = [];
      for (const subject of others) why.push(await subscriptionRefused(link(name), subject));
      return [...new Set(why)].join('; ');
    });
  }

  for (const watcher of edge?.watchers ?? []) watcher.stop();
  await auditMessages?.close();
  await Promise.all([
    gatewayEvents.close(1000),
    tokenEvents.close(1000),
    managementEvents.close(1000),
  ]);
  if (options.verbose) console.log('credentials request counts', credentialCounts);
  return links;
}

// ---------------------------------------------------------------------------------------------
// scenarios
// ---------------------------------------------------------------------------------------------

/** num_replicas of a stream (a KV bucket is the stream `KV_<bucket>`). */
async function replicasOf(link, stream) {
  return (await (await jetstreamManager(link.connection)).streams.info(stream)).config.num_replicas;
}

/**
 * An upgrade on the cluster: the objects of an older release have 1 replica; the services now
 * run with NATS_JS_REPLICAS=3. The gateway (may not update a policy bucket) opens and watches it
 * as it is, the owner raises it while the gateway watches, and the watch goes on.
 */
async function raiseOnUpgrade(urls, passwords) {
  const apiKeys = `KV_${PREFIX}_api_keys`;
  const auditStream = `${PREFIX}_AUDIT`;
  const opened = [];
  const open = async (user, replicas) => {
    const link = await openLink(user, urls, passwords, replicas);
    opened.push(link);
    return link;
  };
  try {
    await check('an older release (NATS_JS_REPLICAS=1) created api_keys and AUDIT', async () => {
      await openBucket(await open('credentials', 1), KV_BUCKETS.apiKeys);
      await ensureStream(
        await open('audit', 1),
        { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS },
        7 * 86_400,
      );
      const counts = [
        await replicasOf(opened[0], apiKeys),
        await replicasOf(opened[1], auditStream),
      ];
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
        const count = await replicasOf(gateway, apiKeys);
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
        const count = await replicasOf(credentials, apiKeys);
        if (count !== 3) throw new Error(`replicas ${count}`);
        await kvPut(kv, 'ak_after_raise', { workspaceId: 'ws1', status: 'active', version: 1 });
        const ms = await waitFor(() => seen.has('ak_after_raise'), 10_000, 'the watch');
        return `1 → 3, change seen after ${ms} ms`;
      },
    );
    watcher?.stop();
    await check('audit (NATS_JS_REPLICAS=3): ensureStream raises AUDIT to 3', async () => {
      const audit = await open('audit', 3);
      await ensureStream(
        audit,
        { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS },
        7 * 86_400,
      );
      const count = await replicasOf(audit, auditStream);
      if (count !== 3) throw new Error(`replicas ${count}`);
      return '1 → 3';
    });
  } finally {
    await Promise.all(opened.map((link) => link.close().catch(() => undefined)));
  }
}

/** What each user creates: the streams and buckets it owns. */
const OWNED = [
  ['credentials', `KV_${PREFIX}_api_keys`],
  ['management-api', `KV_${PREFIX}_workspaces`],
  ['ip-filter', `KV_${PREFIX}_ip_filters`],
  ['signature', `KV_${PREFIX}_signature_enforcement`],
  ['token', `KV_${PREFIX}_jwks`],
  ['token', `KV_${PREFIX}_auth_clients`],
  ['gateway', `KV_${PREFIX}_escher_replay`],
  ['audit', `${PREFIX}_AUDIT`],
  ['loyalty-api', `${PREFIX}_LOYALTY_ASYNC`],
];

async function scenario({ title, cluster, ordering, replicas }) {
  console.log(`\n== ${title}`);
  const dir = mkdtempSync(join(tmpdir(), 'le-nats-check-'));
  // a letter, then hex: nats-server parses the variable as a config value (docs/deployment.md)
  const passwords = Object.fromEntries(
    USERS.map((u) => [u.name, `n${randomBytes(24).toString('hex')}`]),
  );
  const env = Object.fromEntries(USERS.map((u) => [passwordVariable(u.name), passwords[u.name]]));
  const files = cluster
    ? [1, 2, 3].map((n) => ({
        source: join(here, 'cluster', `node-${n}.conf`),
        target: `cluster/node-${n}.conf`,
      }))
    : [{ source: join(here, 'nats.conf'), target: 'nats.conf' }];
  let servers = [];
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
    if (cluster) {
      // JetStream in a cluster answers once a meta leader is elected
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
    if (cluster) await raiseOnUpgrade(urls, passwords);
    links = await exercise({ urls, monitors, passwords, ordering, replicas });
    await check(
      `every stream and bucket has ${replicas} replica(s) (NATS_JS_REPLICAS=${replicas})`,
      async () => {
        const off = [];
        for (const [user, stream] of OWNED) {
          const count = await replicasOf(links[user], stream);
          if (count !== replicas) off.push(`${stream}: ${count}`);
        }
        if (off.length > 0) throw new Error(off.join(', '));
        return `${OWNED.length} objects, each checked by its owner`;
      },
    );
    if (cluster) {
      await check(
        'a service left at NATS_JS_REPLICAS=1 lowers nothing (openBucket, ensureStream)',
        async () => {
          const credentials = await openLink('credentials', urls, passwords, 1);
          const audit = await openLink('audit', urls, passwords, 1);
          try {
            await openBucket(credentials, KV_BUCKETS.apiKeys);
            await ensureStream(
              audit,
              { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS },
              7 * 86_400,
            );
            const counts = [
              await replicasOf(credentials, `KV_${PREFIX}_api_keys`),
              await replicasOf(audit, `${PREFIX}_AUDIT`),
            ];
            if (counts.some((n) => n !== replicas)) throw new Error(`replicas ${counts.join()}`);
            return `api_keys and AUDIT keep ${replicas}`;
          } finally {
            await Promise.all([credentials.close(), audit.close()]);
          }
        },
      );
    }
  } catch (error) {
    report('fail', `${title}: ${error instanceof Error ? error.message : String(error)}`);
  } finally {
    await Promise.all(Object.values(links).map((link) => link.close().catch(() => undefined)));
    await stopServers(servers);
    rmSync(dir, { recursive: true, force: true });
  }
}

const SCENARIOS = {
  single: {
    title: 'deploy/nats/nats.conf, gateway starts first (creates the buckets it watches)',
    cluster: false,
    ordering: 'edge-first',
    replicas: 1,
  },
  'owners-first': {
    title: 'deploy/nats/nats.conf, owners start first',
    cluster: false,
    ordering: 'owners-first',
    replicas: 1,
  },
  cluster: {
    title:
      'deploy/nats/cluster/node-{1,2,3}.conf, 3 nodes, users spread over the nodes, NATS_JS_REPLICAS=3',
    cluster: true,
    ordering: 'edge-first',
    replicas: 3,
  },
};

const chosen = options.only ? [options.only] : Object.keys(SCENARIOS);
for (const name of chosen) {
  if (!SCENARIOS[name]) {
    console.error(`unknown scenario ${name}; one of ${Object.keys(SCENARIOS).join(', ')}`);
    process.exit(2);
  }
  await scenario(SCENARIOS[name]);
}
console.log(
  `\nnats permissions: ${results.ok} ok, ${results.fail} failed, ${results.warn} warning(s)`,
);
process.exit(results.fail === 0 ? 0 : 1);
