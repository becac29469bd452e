// What is in the image, in the image check (deploy/image/check.mjs): its size and user, no
// devDependency (package-lock.json `dev: true`) in its node_modules, every app's dist/main.js and
// no sources, files owned by root.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../nats/platform-checks.mjs';
import { APPS } from './apps.mjs';
import { IMAGE, buildah, root, run } from './buildah.mjs';

function devOnlyPackages() {
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  return Object.entries(lock.packages)
    .filter(([path, entry]) => entry.dev === true && path.includes('node_modules/'))
    .map(([path]) => path);
}

/** The image's size and user, from buildah's storage. */
export async function imageConfig() {
  const config = JSON.parse(buildah(['inspect', '--type', 'image', IMAGE]));
  await check('image size', () => {
    const line = buildah(['images', '--format', '{{.Size}}', IMAGE]);
    return line.split('\n')[0];
  });
  await check('USER is numeric and not root', () => {
    const user = config.OCIv1?.config?.User ?? '';
    if (!/^[1-9]\d*(:\d+)?$/.test(user)) throw new Error(`USER "${user}"`);
    return user;
  });
}

/**
 * The files of the image, mounted at `mount`.
 * @param {string} mount
 */
export async function imageFiles(mount) {
  await check('no devDependency in node_modules', () => {
    const dev = devOnlyPackages();
    const present = dev.filter((path) => existsSync(join(mount, 'app', path)));
    if (present.length > 0)
      throw new Error(`${present.length} present: ${present.slice(0, 8).join(', ')}`);
    return `${dev.length} dev-only packages of package-lock.json, none present`;
  });
  await check('every app has dist/main.js, no TypeScript sources', () => {
    const missing = APPS.filter(
      (app) => !existsSync(join(mount, 'app', 'apps', app, 'dist', 'main.js')),
    );
    if (missing.length > 0) throw new Error(`missing: ${missing.join(', ')}`);
    if (existsSync(join(mount, 'app', 'apps', 'gateway', 'src')))
      throw new Error('apps/gateway/src is in the image');
  });
  await check('files belong to root (the app user cannot change them)', () => {
    const out = run('stat', ['-c', '%u', join(mount, 'app', 'apps', 'gateway', 'dist', 'main.js')]);
    if (out !== '0') throw new Error(`owner uid ${out}`);
  });
}
