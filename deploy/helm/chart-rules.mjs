// The chart's own rules, checked on every rendered value set by deploy/check-helm.mjs: non-root,
// read-only root filesystem, probes on /healthz and /readyz, one image with
// `node apps/<app>/dist/main.js`, secrets only from Secrets, every env var one the app reads
// (apps/<app>/src/config.ts), NATS_JS_REPLICAS from nats.jetstream.replicas, the migrations Job,
// the NATS ConfigMap equal to what deploy/nats/permissions.mjs renders, loyalty-api reachable
// from the gateway only.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DATABASE_APPS } from '@loyalty-edge/contracts';
import { renderAccounts } from '../nats/permissions.mjs';
import { root } from './tools.mjs';

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

function containersOf(doc) {
  const spec = doc.kind === 'Job' ? doc.spec.template.spec : doc.spec.template.spec;
  return [...(spec.initContainers ?? []), ...spec.containers];
}

/**
 * What breaks a rule in one rendered value set; none when the chart holds.
 * @param {any[]} docs the rendered documents
 * @param {import('./variants.mjs').Variant} variant
 * @returns {string[]}
 */
export function chartRules(docs, variant) {
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
