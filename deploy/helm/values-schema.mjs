// The chart's values.schema.json, in the chart check (deploy/check-helm.mjs): it knows the API
// catalog, and refuses bad values.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { API_CATALOG } from '@loyalty-edge/contracts';
import { check } from '../nats/platform-checks.mjs';
import { chart, run } from './tools.mjs';

/**
 * What a value set must not get past the schema, and the `--set` that tries.
 * @type {[string, string][]}
 */
const REFUSED = [
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
];

/** @param {string} helm */
export async function valuesSchema(helm) {
  const catalog = API_CATALOG.map((api) => api.id).sort();
  await check('gateway.upstreams accepts exactly the API ids of the catalog', () => {
    const schema = JSON.parse(readFileSync(join(chart, 'values.schema.json'), 'utf8'));
    const ids = [...schema.properties.gateway.properties.upstreams.propertyNames.enum].sort();
    if (ids.join() !== catalog.join())
      throw new Error(`schema ${ids.join()} vs catalog ${catalog.join()}`);
  });
  for (const [what, set] of REFUSED) {
    await check(`refuses ${what} (${set})`, () => {
      const result = run(helm, ['template', 'le', chart, '--set', set]);
      if (result.status === 0) throw new Error('accepted');
    });
  }
  await check('refuses loyaltyApi.enabled=false without gateway.upstreamDefaultUrl', () => {
    const result = run(helm, ['template', 'le', chart, '--set', 'loyaltyApi.enabled=false']);
    if (result.status === 0) throw new Error('accepted');
    const [first = ''] = result.stderr.split('\n');
    return first.replace(/^Error: /, '').slice(0, 90);
  });
}
