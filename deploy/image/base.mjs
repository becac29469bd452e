// The base image of the image check (deploy/image/check.mjs), built once: Debian bookworm
// (`debootstrap --variant=minbase` from the Debian mirror this machine's apt uses) with this
// machine's node and npm (`buildah from scratch` + `copy` + `commit`), kept in buildah's storage.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BASE, buildah, imageExists, run, seconds } from './buildah.mjs';

/** The Debian mirror apt uses here (deb822 `URIs:` or a one-line `deb` entry). */
function debianMirror() {
  const candidates = ['/etc/apt/sources.list.d/debian.sources', '/etc/apt/sources.list'];
  for (const file of candidates) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file, 'utf8');
    const uri =
      /^URIs:\s*(\S+\/debian)\s*$/m.exec(text)?.[1] ??
      /^deb\s+(?:\[[^\]]*\]\s+)?(\S+\/debian)\s/m.exec(text)?.[1];
    if (uri) return uri;
  }
  return 'http://deb.debian.org/debian';
}

/** Builds BASE unless it is there (or LE_IMAGE_REBUILD_BASE is set); resolves to how it went. */
export async function ensureBase() {
  if (imageExists(BASE) && !process.env.LE_IMAGE_REBUILD_BASE) return 'cached';
  const started = performance.now();
  const dir = mkdtempSync(join(tmpdir(), 'le-base-'));
  const rootfs = join(dir, 'rootfs');
  try {
    const mirror = debianMirror();
    console.log(`  base| debootstrap --variant=minbase bookworm from ${mirror}`);
    run('debootstrap', ['--variant=minbase', 'bookworm', rootfs, mirror]);
    // apt's package lists and downloads are not needed at run time
    for (const path of ['var/cache/apt', 'var/lib/apt/lists'])
      rmSync(join(rootfs, path), { recursive: true, force: true });
    const npm = join(dirname(dirname(process.execPath)), 'lib', 'node_modules', 'npm');
    if (!existsSync(join(npm, 'bin', 'npm-cli.js'))) throw new Error(`npm not found at ${npm}`);
    const container = buildah(['from', 'scratch']);
    try {
      buildah(['copy', '--quiet', container, rootfs, '/']);
      buildah(['copy', '--quiet', container, process.execPath, '/usr/local/bin/node']);
      buildah(['copy', '--quiet', container, npm, '/usr/local/lib/node_modules/npm']);
      buildah([
        'run',
        '--isolation',
        'chroot',
        container,
        '--',
        'sh',
        '-c',
        'ln -s ../lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm && ' +
          'ln -s ../lib/node_modules/npm/bin/npx-cli.js /usr/local/bin/npx && node --version',
      ]);
      buildah(['config', '--env', 'PATH=/usr/local/bin:/usr/bin:/bin', '--cmd', 'node', container]);
      buildah(['commit', '--quiet', container, BASE]);
    } finally {
      buildah(['rm', container]);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return `built in ${seconds(performance.now() - started)}`;
}
