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

// The checks themselves are in deploy/nats/checks/: the servers (nats-server.mjs), the clients
// (clients.mjs), each service's work (owners.mjs, gateway.mjs, events.mjs), what is refused
// (refusals.mjs, inboxes.mjs), the replicas (replicas.mjs), one run (exercise.mjs, scenario.mjs).
import { parseArgs } from 'node:util';
import { results } from './platform-checks.mjs';
import { scenario } from './checks/scenario.mjs';

const { values: options } = parseArgs({
  options: { only: { type: 'string' }, verbose: { type: 'boolean', default: false } },
});

/** @type {Record<string, import('./checks/scenario.mjs').Scenario>} */
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
  await scenario(SCENARIOS[name], options.verbose);
}
console.log(
  `\nnats permissions: ${results.ok} ok, ${results.fail} failed, ${results.warn} warning(s)`,
);
process.exit(results.fail === 0 ? 0 : 1);
