// The value sets the chart check (deploy/check-helm.mjs) renders, and what it checks in each:
// `helm template`, every document validated against the Kubernetes schemas of kubernetes-models
// 4.5.1 (`new Model(doc).validate()`, the ServiceMonitor against the prometheus-operator models),
// the dashboard and alerts, the chart's rules.
import { report } from '../nats/platform-checks.mjs';
import { chartRules } from './chart-rules.mjs';
import { observabilityRules } from './observability.mjs';
import { PRODUCTION_VALUES, chart, run } from './tools.mjs';

/**
 * @typedef {object} Variant
 * @property {string} name
 * @property {string[]} args what `helm template` is given
 * @property {number} [replicas] nats.jetstream.replicas (1 unless set)
 * @property {string} [prefix] nats.prefix (`le` unless set)
 * @property {boolean} [observability] the Grafana dashboard and PrometheusRule are on
 */

/** @type {Variant[]} */
export const VARIANTS = [
  // LE_CHECK_EXTRA='--set a=b --set c=d' renders one more variant (to try a change quickly)
  ...(process.env.LE_CHECK_EXTRA
    ? [{ name: 'LE_CHECK_EXTRA', args: process.env.LE_CHECK_EXTRA.split(' ') }]
    : []),
  { name: 'default values', args: [] },
  {
    name: 'ci/production-values.yaml',
    args: PRODUCTION_VALUES,
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

/**
 * One line for a set of rules: ok when nothing breaks them, else every problem.
 * @param {string[]} problems
 * @param {string} holds what the ok line says
 */
function reportProblems(problems, holds) {
  report(
    problems.length === 0 ? 'ok' : 'fail',
    problems.length === 0 ? holds : problems.join('\n         '),
  );
}

/**
 * Renders one value set and checks every document of it.
 * @param {import('./tools.mjs').Tools} tools
 * @param {Variant} variant
 */
export function checkVariant(tools, variant) {
  const { parseAllDocuments } = tools.require('yaml');
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
    report('fail', `helm template failed: ${rendered.stderr}`);
    return;
  }
  const docs = parseAllDocuments(rendered.stdout)
    .map((d) => d.toJS())
    .filter((d) => d && typeof d === 'object');
  const kinds = {};
  for (const doc of docs) kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
  report(
    'ok',
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
        'fail',
        `${doc.kind} ${doc.metadata?.name}: ${String(error instanceof Error ? error.message : error)
          .split('\n')
          .slice(0, 6)
          .join(' | ')}`,
      );
    }
  }
  report(
    valid === docs.length ? 'ok' : 'fail',
    `kubernetes-models: ${valid}/${docs.length} documents valid`,
  );
  if (variant.observability) {
    const seen = observabilityRules(docs);
    const alerts = docs.filter((d) => d.kind === 'PrometheusRule').length;
    if (seen.dashboards === 0 || alerts === 0)
      seen.problems.push(`expected a dashboard ConfigMap and a PrometheusRule`);
    reportProblems(
      seen.problems,
      `dashboard and alerts: ${seen.expressions} expressions, ${seen.checked} metric references, each exported by an app (or kube-state-metrics), each alert with a runbook in docs/operations.md`,
    );
  }
  reportProblems(
    chartRules(docs, variant),
    'chart rules hold (security context, probes, commands, env, secrets, NATS_JS_REPLICAS, NATS ConfigMap, NetworkPolicy)',
  );
}
