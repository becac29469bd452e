// `buildah bud` of deploy/Dockerfile in the image check (deploy/image/check.mjs), with
// NODE_IMAGE=<the base>; `npm ci` reads this machine's npm cache (bound into the build,
// npm_config_prefer_offline=true), through the machine's npm CA file (cafile) when it has one.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { BASE, IMAGE, STORAGE, runStreaming } from './buildah.mjs';

/** The hard limit of open files here (what a build step may raise its own to), at most 65536. */
function openFilesLimit() {
  const hard = spawnSync('sh', ['-c', 'ulimit -Hn'], { encoding: 'utf8' }).stdout.trim();
  return hard === 'unlimited' ? 65536 : Math.min(Number(hard) || 1024, 65536);
}

/** Builds IMAGE; resolves to the milliseconds that took. */
export async function buildImage() {
  const npmCache = process.env.npm_config_cache ?? join(homedir(), '.npm');
  // the registry as this machine reaches it: its CA file (e.g. a proxy's), through the global
  // npmrc of the npm in the base image
  const cafile = spawnSync('npm', ['config', 'get', 'cafile'], { encoding: 'utf8' }).stdout.trim();
  const registryAccess = [];
  if (cafile !== '' && cafile !== 'null' && existsSync(cafile)) {
    const npmrc = join(mkdtempSync(join(tmpdir(), 'le-npmrc-')), 'npmrc');
    writeFileSync(npmrc, 'cafile=/run/le-npm-ca.crt\n');
    registryAccess.push(
      '--volume',
      `${npmrc}:/usr/local/etc/npmrc:ro`,
      '--volume',
      `${cafile}:/run/le-npm-ca.crt:ro`,
    );
  }
  const started = performance.now();
  await runStreaming('bud', 'buildah', [
    ...STORAGE,
    'bud',
    '--isolation',
    'chroot',
    '--network',
    'host',
    '--layers',
    // a failed step leaves no working container behind
    '--force-rm',
    // npm ci opens many cache files at once; the chroot's default limit (1024) makes reads of
    // the npm cache fail with EMFILE, which npm takes for cache misses
    '--ulimit',
    `nofile=${openFilesLimit()}:${openFilesLimit()}`,
    '-f',
    'deploy/Dockerfile',
    '--ignorefile',
    'deploy/Dockerfile.dockerignore',
    '--build-arg',
    `NODE_IMAGE=${BASE}`,
    '--build-arg',
    'npm_config_cache=/npm-cache',
    '--build-arg',
    'npm_config_prefer_offline=true',
    '--volume',
    `${npmCache}:/npm-cache`,
    ...registryAccess,
    '-t',
    IMAGE,
    '.',
  ]);
  return performance.now() - started;
}
