// The chart's dashboard and alerts (deploy/check-helm.mjs): every metric they use is one an app
// exports (or kube-state-metrics), every alert has a runbook in docs/operations.md.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORM_APPS } from '@loyalty-edge/contracts';
import { root } from './tools.mjs';

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
  for (const { name: app } of PLATFORM_APPS) {
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

/**
 * What is wrong with the dashboards and alerts of one rendered value set, and what was checked.
 * @param {any[]} docs the rendered documents
 */
export function observabilityRules(docs) {
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
