#!/usr/bin/env node
// Builds deploy/Dockerfile without a Docker daemon (buildah, chroot isolation, vfs storage) and
// runs every app from the image against the PostgreSQL and NATS of DATABASE_URL and NATS_URL:
//   1. a base image, once: Debian bookworm (`debootstrap --variant=minbase` from the Debian mirror
//      this machine's apt uses) with this machine's node and npm, committed as
//      localhost/loyalty-edge-base:<node version> (`buildah from scratch` + `copy` + `commit`) and
//      kept in buildah's storage;
//   2. `buildah bud` of deploy/Dockerfile with NODE_IMAGE=<that base>; `npm ci` reads this
//      machine's npm cache (bound into the build, npm_config_prefer_offline=true): after an
//      `npm ci` on the machine (.ci/run) only package metadata the cache lacks is fetched, through
//      the machine's npm CA file (cafile) when it has one;
//   3. the image's user is not root, no devDependency (package-lock.json `dev: true`) is in its
//      node_modules, every app has its dist/main.js;
//   4. all nine apps started from the image (host network, the image's own user), each /healthz
//      and /readyz awaited; times printed.
//
//   node deploy/image/check.mjs              skips (exit 0) when buildah or debootstrap is missing
//   LE_IMAGE_REBUILD_BASE=1 node deploy/image/check.mjs    builds the base again
//
// Everything it creates in PostgreSQL and NATS carries a random prefix and is dropped at the end;
// the working container is removed, the images stay (the next build reuses them).
//
// The steps are in deploy/image/: buildah and the names of the images (buildah.mjs), the base
// (base.mjs), the build (build.mjs), the image's content (content.mjs), the apps (apps.mjs).
import { check, results } from '../nats/platform-checks.mjs';
import { runApps } from './apps.mjs';
import { ensureBase } from './base.mjs';
import { buildImage } from './build.mjs';
import { BASE, IMAGE, buildah, seconds, which } from './buildah.mjs';
import { imageConfig, imageFiles } from './content.mjs';

if (!which('buildah') || !which('debootstrap')) {
  console.log(
    'SKIP deploy/image/check.mjs: buildah and debootstrap are needed (apt-get install buildah debootstrap)',
  );
  process.exit(0);
}
for (const name of ['DATABASE_URL', 'NATS_URL']) {
  if (!process.env[name]) {
    console.error(`${name} must be set (the apps from the image connect to it)`);
    process.exit(2);
  }
}

console.log('== base image');
if (!(await check(`base ${BASE}`, ensureBase))) process.exit(1);

console.log('\n== build (buildah bud, chroot isolation, vfs storage)');
let built = false;
await check(`deploy/Dockerfile → ${IMAGE}`, async () => {
  const ms = await buildImage();
  built = true;
  return `${seconds(ms)}`;
});
if (!built) process.exit(1);

console.log('\n== the image');
await imageConfig();
const container = buildah(['from', '--quiet', '--pull-never', IMAGE]);
try {
  const mount = buildah(['mount', container]);
  await imageFiles(mount);
  console.log('\n== every app from the image (host network)');
  await runApps(container);
} finally {
  buildah(['umount', container]);
  buildah(['rm', container]);
}

console.log(`\n${results.ok} ok, ${results.fail} failed`);
process.exit(results.fail > 0 ? 1 : 0);
