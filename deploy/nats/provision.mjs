#!/usr/bin/env node
// Creates the JetStream streams and KV buckets of one deployment with N replicas, before the
// services start. The services create what is missing with 1 replica (libs/shared/nats:
// openBucket, ensureStream) and never lower the replicas of what exists, so on a 3-node NATS
// cluster this is how every stream and bucket gets 3 copies (docs/deployment.md, "NATS").
//
// Each object is created by the NATS user that owns it, with the same settings the service would
// use; one that exists keeps its settings, only its replica count is raised when lower.
//
//   NATS_URL=nats://nats:4222 NATS_PREFIX=le NATS_REPLICAS=3 \
//   LE_NATS_PASSWORD_CREDENTIALS=… LE_NATS_PASSWORD_GATEWAY=… (one per owner below) \
//   node deploy/nats/provision.mjs
//
// Optional: AUDIT_STREAM_MAX_AGE_DAYS (7), ESCHER_CLOCK_SKEW_SECONDS (300: the replay bucket keeps
// entries twice as long), NATS_NO_AUTH=true (a server without users).
// The image ships this file: `node deploy/nats/provision.mjs` (the chart's provisioning Job).
import { connect } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';

const env = process.env;
const url = env.NATS_URL ?? 'nats://127.0.0.1:4222';
const prefix = env.NATS_PREFIX ?? 'le';
const replicas = Number(env.NATS_REPLICAS ?? '3');
const auditDays = Number(env.AUDIT_STREAM_MAX_AGE_DAYS ?? '7');
const skewSeconds = Number(env.ESCHER_CLOCK_SKEW_SECONDS ?? '300');
const noAuth = ['1', 'true', 'yes'].includes(String(env.NATS_NO_AUTH ?? '').toLowerCase());
const NANOS = 1_000_000_000;

if (!/^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(prefix))
  throw new Error('NATS_PREFIX is not a valid prefix');
if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5)
  throw new Error('NATS_REPLICAS must be 1 to 5');

/** What each service would create, by owner (apps/*, libs/shared/nats, docs/architecture.md). */
const OBJECTS = [
  { user: 'credentials', kv: 'api_keys' },
  { user: 'management-api', kv: 'workspaces' },
  { user: 'ip-filter', kv: 'ip_filters' },
  { user: 'signature', kv: 'signature_enforcement' },
  { user: 'token', kv: 'jwks' },
  // REPLAY_PROTECTION: entries live twice the clock skew (apps/gateway/src/edge/signature-check.ts)
  { user: 'gateway', kv: 'escher_replay', ttlMs: skewSeconds * 2 * 1000 },
  {
    user: 'audit',
    stream: {
      name: `${prefix}_AUDIT`,
      subjects: [`${prefix}.audit.*.recorded`],
      max_age: auditDays * 86_400 * NANOS,
      duplicate_window: 120 * NANOS,
    },
  },
  {
    user: 'loyalty-api',
    stream: {
      name: `${prefix}_LOYALTY_ASYNC`,
      subjects: [`${prefix}.loyalty.async-event.>`],
      max_age: 7 * 86_400 * NANOS,
      duplicate_window: 120 * NANOS,
    },
  },
];

function password(user) {
  const name = `LE_NATS_PASSWORD_${user.toUpperCase().replaceAll('-', '_')}`;
  const value = env[name];
  if (!value) throw new Error(`${name} is not set (the ${user} user's NATS password)`);
  return value;
}

/** Waits until every replica of the stream is current (a leader and replicas-1 followers). */
async function settled(jsm, name) {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const info = await jsm.streams.info(name).catch(() => undefined);
    const peers = info?.cluster?.replicas ?? [];
    const ready =
      replicas === 1 ||
      (info?.cluster?.leader && peers.length === replicas - 1 && peers.every((p) => p.current));
    if (ready) return;
    if (Date.now() > deadline) throw new Error(`${name}: replicas not in sync after 60 s`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function raiseReplicas(jsm, name) {
  const info = await jsm.streams.info(name);
  if ((info.config.num_replicas ?? 1) >= replicas)
    return `kept (${info.config.num_replicas} replicas)`;
  await jsm.streams.update(name, { ...info.config, num_replicas: replicas });
  await settled(jsm, name);
  return `replicas ${info.config.num_replicas} → ${replicas}`;
}

let failed = 0;
for (const object of OBJECTS) {
  const name = object.kv ? `KV_${prefix}_${object.kv}` : object.stream.name;
  let nc;
  try {
    nc = await connect({
      servers: url.split(','),
      name: `provision-${object.user}`,
      ...(noAuth ? {} : { user: object.user, pass: password(object.user) }),
      timeout: 10_000,
    });
    const jsm = await jetstreamManager(nc);
    let outcome;
    try {
      outcome = await raiseReplicas(jsm, name);
    } catch (error) {
      if (!/stream not found/i.test(String(error?.message))) throw error;
      if (object.kv) {
        await new Kvm(nc).create(`${prefix}_${object.kv}`, {
          history: 1,
          replicas,
          ...(object.ttlMs ? { ttl: object.ttlMs } : {}),
        });
      } else {
        await jsm.streams.add({ ...object.stream, num_replicas: replicas });
      }
      await settled(jsm, name);
      outcome = `created with ${replicas} replicas`;
    }
    console.log(
      JSON.stringify({
        level: 'info',
        app: 'nats-provision',
        object: name,
        owner: object.user,
        msg: outcome,
      }),
    );
  } catch (error) {
    failed += 1;
    console.error(
      JSON.stringify({
        level: 'error',
        app: 'nats-provision',
        object: name,
        owner: object.user,
        msg: String(error?.message ?? error),
      }),
    );
  } finally {
    await nc?.close();
  }
}
process.exit(failed === 0 ? 0 : 1);
