// The NATS permission matrix of Loyalty Edge: one NATS user per service, each allowed exactly the
// subjects its code uses (libs/shared/nats, apps/*/src, docs/architecture.md).
//
// This file is the single source of truth. `node deploy/nats/render.mjs --write` turns it into
//   - deploy/nats/accounts.conf                        (prefix `le`, included by nats.conf)
//   - helm/loyalty-edge/files/nats-permissions.json    (read by the chart's NATS auth ConfigMap)
// and `node deploy/nats/render.mjs --check` fails when either file is out of date.
//
// What those files grant is the union of this matrix and deploy/nats/permissions.previous.json,
// the rendered matrix of the release in production (`render.mjs --snapshot`, at release time): an
// upgrade never takes away what the pods of the previous release still use (compat.mjs).
//
// Subjects are written with placeholders:
//   {P}      the deployment prefix (NATS_PREFIX, default `le`): `le.credentials.secret.resolve`,
//            stream `le_AUDIT`, KV bucket `le_api_keys` (stream `KV_le_api_keys`).
//   {INBOX}  where the user receives replies: `_INBOX_<user>.>`. Every service connects with
//            `inboxPrefix: _INBOX_<user>` (NatsLink.open, libs/shared/nats/src/connection.ts), so
//            requests, JetStream API calls and acks, KV watches and pull consumers all reply
//            there, and no user may subscribe to another's inbox (nor to `_INBOX.>`).

import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { unionPermissions } from './compat.mjs';

/**
 * KV buckets and their owners (libs/shared/contracts/src/buckets.ts).
 * @type {Record<import('@loyalty-edge/contracts').KvBucket, string>}
 */
export const BUCKETS = {
  api_keys: 'credentials',
  workspaces: 'management-api',
  ip_filters: 'ip-filter',
  signature_enforcement: 'signature',
  jwks: 'token',
  auth_clients: 'token',
};

/** Buckets every gateway replica watches (apps/gateway/src/policies/policy-store.ts). */
const GATEWAY_WATCHES = [
  'api_keys',
  'workspaces',
  'ip_filters',
  'signature_enforcement',
  'jwks',
  'auth_clients',
];

// ---------------------------------------------------------------------------------------------
// Building blocks. Each returns rules `{ allow | deny: subject, why }` for publish.
// ---------------------------------------------------------------------------------------------

/** Every JetStream client: `jetstreamManager()` asks for the account info first. */
const jetStreamBase = () => [
  { allow: '$JS.API.INFO', why: 'JetStream account info (client start-up check)' },
];

/** Opening a bucket: `Kvm.create` reads the stream info and creates it when missing (history 1). */
const kvOpen = (bucket) => [
  { allow: `$JS.API.STREAM.INFO.KV_{P}_${bucket}`, why: `KV ${bucket}: open, status` },
  { allow: `$JS.API.STREAM.CREATE.KV_{P}_${bucket}`, why: `KV ${bucket}: create when missing` },
];

/**
 * Reading a bucket as a stream of entries: `kv.watch()` and `kv.keys()` are ordered push
 * consumers (named `oc_…`, filtered on the bucket, delivered to an inbox, flow-controlled), deleted
 * and re-created on a gap or a reconnect. Owners read their own bucket this way too: the outbox
 * reconcile (libs/shared/outbox) scans the last entry of every key, headers only, to compare
 * revisions with what it published.
 */
const kvConsume = (bucket) => [
  {
    allow: `$JS.API.CONSUMER.CREATE.KV_{P}_${bucket}.>`,
    why: `KV ${bucket}: watch / keys / outbox reconcile scan (ordered consumer)`,
  },
  { allow: `$JS.API.CONSUMER.DELETE.KV_{P}_${bucket}.>`, why: `KV ${bucket}: watch reset/stop` },
  { allow: `$JS.API.CONSUMER.INFO.KV_{P}_${bucket}.>`, why: `KV ${bucket}: watch reset` },
  { allow: `$JS.FC.KV_{P}_${bucket}.>`, why: `KV ${bucket}: flow-control replies` },
];

/** A watcher (the gateway): open and watch, never write. */
const kvWatch = (bucket) => [...kvOpen(bucket), ...kvConsume(bucket)];

/**
 * The owner of a bucket: put/create/delete are JetStream publishes to `$KV.<bucket>.<key>` (the
 * outbox relay publishes puts and delete markers there itself, to get every revision back);
 * `kv.status()` (stream info) gives the reconcile the bucket's message count and last sequence.
 */
const kvWrite = (bucket) => [
  ...kvOpen(bucket),
  { allow: `$KV.{P}_${bucket}.>`, why: `KV ${bucket}: put, create, delete` },
  {
    allow: `$JS.API.STREAM.UPDATE.KV_{P}_${bucket}`,
    why: `KV ${bucket}: raise replicas to NATS_JS_REPLICAS (openBucket)`,
  },
  { allow: `$JS.API.DIRECT.GET.KV_{P}_${bucket}`, why: `KV ${bucket}: get (direct)` },
  { allow: `$JS.API.DIRECT.GET.KV_{P}_${bucket}.>`, why: `KV ${bucket}: get by key (direct)` },
  { allow: `$JS.API.STREAM.MSG.GET.KV_{P}_${bucket}`, why: `KV ${bucket}: get (no direct)` },
  ...kvConsume(bucket),
];

/** `ensureStream` (libs/shared/nats): info, then update, or create when missing. */
const streamEnsure = (stream) => [
  { allow: `$JS.API.STREAM.INFO.{P}_${stream}`, why: `stream ${stream}: info` },
  { allow: `$JS.API.STREAM.CREATE.{P}_${stream}`, why: `stream ${stream}: create when missing` },
  {
    allow: `$JS.API.STREAM.UPDATE.{P}_${stream}`,
    why: `stream ${stream}: update settings and raise replicas at start`,
  },
];

/** A durable pull consumer: create/update (named API, with or without filter), info, pull, ack. */
const durablePull = (stream, durable) => [
  {
    allow: `$JS.API.CONSUMER.CREATE.{P}_${stream}.{P}_${durable}`,
    why: `${durable}: create/update`,
  },
  {
    allow: `$JS.API.CONSUMER.CREATE.{P}_${stream}.{P}_${durable}.>`,
    why: `${durable}: create/update (filtered)`,
  },
  {
    allow: `$JS.API.CONSUMER.DURABLE.CREATE.{P}_${stream}.{P}_${durable}`,
    why: `${durable}: create (older API)`,
  },
  {
    allow: `$JS.API.CONSUMER.INFO.{P}_${stream}.{P}_${durable}`,
    why: `${durable}: info, pending count`,
  },
  { allow: `$JS.API.CONSUMER.MSG.NEXT.{P}_${stream}.{P}_${durable}`, why: `${durable}: pull` },
  { allow: `$JS.ACK.{P}_${stream}.{P}_${durable}.>`, why: `${durable}: ack/nak/term` },
];

const request = (subject, why) => ({ allow: `{P}.${subject}`, why });
const forbid = (subject, why) => ({ deny: subject, why });

/** A NATS service answers `<prefix>.<service>.<noun>.<verb>` in queue group `<prefix>.<service>`. */
const serves = (service) => [{ allow: `{P}.${service}.>`, why: `serve ${service} requests` }];
const inbox = () => [
  { allow: '{INBOX}', why: 'replies: requests, JetStream API, acks, watch/pull deliveries' },
];

const SECRET = '{P}.credentials.secret.resolve';
/** Gateway to gateway: per-credential request counts (libs/gateway/contracts RATE_COUNTS_SUBJECT). */
const RATE_COUNTS = 'gateway.rate-limit.counted';

// ---------------------------------------------------------------------------------------------
// The users. `responder: true` sets allow_responses: a responder may publish to the reply
// subject of a request it received (once), and nowhere else in `_INBOX`.
// ---------------------------------------------------------------------------------------------

export const USERS = [
  {
    name: 'gateway',
    summary:
      'data plane: watches policies, asks for derived day keys and access tokens, publishes failed calls and the token log, shares rate-limit counts with the other replicas',
    responder: false,
    publish: [
      ...jetStreamBase(),
      request('signature.signing-key.derive', 'derived Escher day key (never the secret)'),
      request('token.access-token.issue', '/v1/auth/token: the token service signs'),
      request('token.jwks.get', 'JWKS refresh on an unknown kid (at most once per interval)'),
      request('audit.failed-call.recorded', 'failed-call events (JetStream publish)'),
      request('audit.client-ips.recorded', 'client IP counts (JetStream publish)'),
      request(
        'audit.token-batch.recorded',
        'token log: every answer of /v1/auth/token, sent in batches (JetStream publish)',
      ),
      request(
        'audit.token.recorded',
        'token log, one event per answer: gateways before batching, during a rolling upgrade',
      ),
      request(RATE_COUNTS, 'rate-limit counts to the other replicas (core NATS, every tick)'),
      ...streamEnsure('AUDIT'),
      ...GATEWAY_WATCHES.flatMap(kvWatch),
      // REPLAY_PROTECTION: `kv.create(signature)` once per signature (a refused create reads the key)
      ...kvWrite('escher_replay'),
      forbid('{P}.credentials.>', 'never the credentials service: no raw secrets at the edge'),
      forbid('$KV.{P}_api_keys.>', 'never writes policies'),
      forbid('$KV.{P}_workspaces.>', 'never writes policies'),
      forbid('$KV.{P}_ip_filters.>', 'never writes policies'),
      forbid('$KV.{P}_signature_enforcement.>', 'never writes policies'),
      forbid('$KV.{P}_jwks.>', 'never writes policies'),
      forbid('$KV.{P}_auth_clients.>', 'never writes policies'),
      forbid('{P}.token.auth-client.>', 'never manages auth clients'),
    ],
    subscribe: [
      ...inbox(),
      { allow: `{P}.${RATE_COUNTS}`, why: "the other replicas' rate-limit counts" },
    ],
  },
  {
    name: 'credentials',
    summary: 'API keys and sealed secrets; the only responder to secret.resolve',
    responder: true,
    publish: [...jetStreamBase(), ...kvWrite('api_keys')],
    subscribe: [...inbox(), ...serves('credentials')],
  },
  {
    name: 'signature',
    summary: 'enforcement sets; the only user that may ask for a raw secret',
    responder: true,
    publish: [
      ...jetStreamBase(),
      request('credentials.secret.resolve', 'the one path from a secret to a signing key'),
      ...kvWrite('signature_enforcement'),
    ],
    subscribe: [...inbox(), ...serves('signature')],
  },
  {
    name: 'ip-filter',
    summary: 'per-API allow-lists',
    responder: true,
    publish: [...jetStreamBase(), ...kvWrite('ip_filters'), forbid(SECRET, 'no raw secrets')],
    subscribe: [...inbox(), ...serves('ip-filter')],
  },
  {
    name: 'token',
    summary: 'signing keys, JWKS, auth clients, access tokens; auth-client audit events',
    responder: true,
    publish: [
      ...jetStreamBase(),
      ...kvWrite('jwks'),
      ...kvWrite('auth_clients'),
      request('audit.auth-client.recorded', 'auth-client lifecycle (JetStream publish)'),
      forbid(SECRET, 'no raw secrets'),
    ],
    subscribe: [...inbox(), ...serves('token')],
  },
  {
    name: 'audit',
    summary: 'owns the AUDIT stream and its durable consumer; answers audit queries',
    responder: true,
    publish: [
      ...jetStreamBase(),
      ...streamEnsure('AUDIT'),
      ...durablePull('AUDIT', 'audit_writer'),
      forbid(SECRET, 'no raw secrets'),
    ],
    subscribe: [...inbox(), ...serves('audit')],
  },
  {
    name: 'loyalty-api',
    summary: 'reference backend; its own LOYALTY_ASYNC work queue',
    responder: false,
    publish: [
      ...jetStreamBase(),
      ...streamEnsure('LOYALTY_ASYNC'),
      request('loyalty.async-event.>', 'queue async events (JetStream publish)'),
      ...durablePull('LOYALTY_ASYNC', 'loyalty_async_worker'),
      forbid(SECRET, 'no raw secrets'),
    ],
    subscribe: [...inbox()],
  },
  {
    name: 'management-api',
    summary: 'admin REST API: calls every service, owns the workspaces bucket, change events',
    responder: false,
    publish: [
      ...jetStreamBase(),
      request('credentials.api-key.>', 'generate / get the API key of a workspace'),
      request('ip-filter.>', 'allow-lists: get, update, preview'),
      request('signature.enforcement.>', 'enforcement sets: get, set'),
      request(
        'signature.signing-key.derive',
        "API browser: signs on the admin's behalf with a day key",
      ),
      request('token.auth-client.>', 'auth clients: create, list, get, revoke'),
      request('token.options.get', 'auth-client options of the environment'),
      request('token.jwks.get', 'the JWKS'),
      request('audit.*.list', 'audit queries'),
      request('audit.*.get', 'audit queries (one record)'),
      request('audit.chain.verify', "operators' check of a workspace's audit hash chains"),
      request('audit.change.recorded', 'admin change events (JetStream publish)'),
      ...kvWrite('workspaces'),
      forbid(SECRET, 'no raw secrets: API browser uses derived day keys'),
    ],
    subscribe: [...inbox()],
  },
];

/** The reply inbox of a user (what `NatsLink.open` sets as `inboxPrefix`, plus `.>`). */
export function inboxFor(user) {
  return `_INBOX_${user}.>`;
}

/** Replaces the placeholders of one user's subject. */
export function subjectFor(subject, { prefix, user }) {
  return subject.replaceAll('{P}', prefix).replaceAll('{INBOX}', inboxFor(user));
}

/** The environment variable the NATS server reads a user's password from. */
export function passwordVariable(user) {
  return `LE_NATS_PASSWORD_${user.toUpperCase().replaceAll('-', '_')}`;
}

/** The snapshot of the previous release's matrix (chart JSON), or undefined when there is none. */
export const SNAPSHOT = fileURLToPath(new URL('./permissions.previous.json', import.meta.url));

export function readSnapshot(path = SNAPSHOT) {
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** Placeholders filled in for comparisons (any prefix will do: both sides get the same). */
export const expandForCompare = (subject, user) => subjectFor(subject, { prefix: 'le', user });

/**
 * The JSON the Helm chart reads (placeholders kept; the chart fills in prefix and inbox): the
 * union of this matrix and the snapshot of the previous release (compat.mjs).
 */
export function chartJson({ previous = readSnapshot() } = {}) {
  const { deferredDenies: _deferred, ...union } = unionPermissions(
    currentJson(),
    previous,
    expandForCompare,
  );
  return {
    ...union,
    comment:
      'GENERATED by `node deploy/nats/render.mjs --write` from deploy/nats/permissions.mjs and ' +
      'permissions.previous.json (their union: an upgrade never takes away what the previous ' +
      "release's pods use); do not edit. " +
      '{P} = NATS prefix, {INBOX} = reply inbox of the user (_INBOX_<user>.>).',
  };
}

/** This matrix alone, in the chart's JSON form (what `render.mjs --snapshot` keeps). */
export function currentJson() {
  return {
    comment:
      'Rendered permissions of the release in production, kept by `node deploy/nats/render.mjs ' +
      '--snapshot` at release time; do not edit. The chart grants their union with ' +
      'deploy/nats/permissions.mjs.',
    account: 'LOYALTY_EDGE',
    users: USERS.map((u) => ({
      name: u.name,
      summary: u.summary,
      passwordVariable: passwordVariable(u.name),
      allowResponses: u.responder,
      publish: {
        allow: u.publish.filter((r) => r.allow).map((r) => r.allow),
        deny: u.publish.filter((r) => r.deny).map((r) => r.deny),
      },
      subscribe: {
        allow: u.subscribe.filter((r) => r.allow).map((r) => r.allow),
        deny: u.subscribe.filter((r) => r.deny).map((r) => r.deny),
      },
    })),
  };
}

const quote = (s) => JSON.stringify(s);

/**
 * The `accounts { … }` block in nats-server configuration syntax (2.9-compatible). Passwords are
 * variable references (`$LE_NATS_PASSWORD_GATEWAY`) that nats-server resolves from its environment,
 * so the file holds no secret; a missing variable stops the server at start.
 */
export function renderAccounts({ prefix = 'le', header = true, permissions = chartJson() } = {}) {
  const json = permissions;
  const lines = [];
  if (header) {
    lines.push(
      '# GENERATED by `node deploy/nats/render.mjs` from deploy/nats/permissions.mjs: do not edit.',
      `# Prefix: ${prefix}   Reply inboxes: _INBOX_<user>.> (each user its own)`,
      '# Passwords come from the environment of nats-server (LE_NATS_PASSWORD_<USER>).',
      '',
    );
  }
  lines.push('accounts {', `  ${json.account} {`, '    jetstream: enabled', '    users: [');
  for (const user of json.users) {
    const ctx = { prefix, user: user.name };
    const list = (items) => items.map((s) => `          ${quote(subjectFor(s, ctx))}`).join(',\n');
    lines.push('      {', `        # ${user.name}: ${user.summary}`);
    lines.push(`        user: ${quote(user.name)}`, `        password: $${user.passwordVariable}`);
    lines.push('        permissions: {');
    lines.push('          publish: {', '            allow: [');
    lines.push(list(user.publish.allow).replace(/^ {10}/gm, '              '), '            ]');
    if (user.publish.deny.length > 0) {
      lines.push('            deny: [');
      lines.push(list(user.publish.deny).replace(/^ {10}/gm, '              '), '            ]');
    }
    lines.push('          }');
    lines.push('          subscribe: {', '            allow: [');
    lines.push(list(user.subscribe.allow).replace(/^ {10}/gm, '              '), '            ]');
    lines.push('          }');
    if (user.allowResponses) lines.push('          allow_responses: true');
    lines.push('        }', '      }');
  }
  lines.push('    ]', '  }', '}', '');
  return lines.join('\n');
}

/** A Markdown table of the matrix (docs/deployment.md). */
export function renderMarkdown(prefix = 'le') {
  const rows = [
    '| user | may publish / request | may subscribe | denied explicitly |',
    '|---|---|---|---|',
  ];
  for (const u of USERS) {
    const ctx = { prefix, user: u.name };
    const fmt = (rules, key) =>
      rules
        .filter((r) => r[key])
        .map((r) => `\`${subjectFor(r[key], ctx)}\``)
        .join('<br>');
    rows.push(
      `| ${u.name} | ${fmt(u.publish, 'allow')} | ${fmt(u.subscribe, 'allow')} | ${fmt(u.publish, 'deny')} |`,
    );
  }
  return rows.join('\n');
}
