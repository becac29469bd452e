// The chart through helm's own commands, in the chart check (deploy/check-helm.mjs): `helm lint`,
// `helm install --dry-run=client` (NOTES.txt), and `helm package`.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { check } from '../nats/platform-checks.mjs';
import { PRODUCTION_VALUES, chart, run } from './tools.mjs';

/** The default values, then ci/production-values.yaml. */
const VALUE_FILES = [[], PRODUCTION_VALUES];
/** @param {string[]} values */
const valuesName = (values) => (values.length ? 'ci/production-values.yaml' : '(default values)');

/** @param {string} helm */
export async function lint(helm) {
  for (const values of VALUE_FILES) {
    await check(`helm lint --strict ${valuesName(values)}`, () => {
      const result = run(helm, ['lint', '--strict', chart, ...values]);
      if (result.status !== 0) throw new Error(`${result.stdout}${result.stderr}`);
      return result.stdout.split('\n').find((l) => l.includes('linted'));
    });
  }
}

/** @param {string} helm */
export async function notes(helm) {
  for (const values of VALUE_FILES) {
    await check(`NOTES.txt ${valuesName(values)}`, () => {
      const result = run(helm, [
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
}

/**
 * The chart is self-contained: packaged alone, it still renders (files/ travels with it).
 * @param {string} helm
 */
export async function packaged(helm) {
  await check('helm package, then helm template of the package', () => {
    const out = mkdtempSync(join(tmpdir(), 'le-chart-'));
    try {
      const packed = run(helm, ['package', chart, '--destination', out]);
      if (packed.status !== 0) throw new Error(packed.stderr);
      const file = readdirSync(out).find((name) => name.endsWith('.tgz'));
      if (file === undefined) throw new Error(`no .tgz in ${out}`);
      const rendered = run(helm, ['template', 'le', join(out, file)]);
      if (rendered.status !== 0) throw new Error(rendered.stderr);
      return file;
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
}
