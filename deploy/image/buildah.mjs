// buildah and the other commands the image check (deploy/image/check.mjs) runs, from the
// repository, and the names of its images: buildah with vfs storage (no daemon, no overlay).
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository: the build context. */
export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const STORAGE = ['--storage-driver', 'vfs'];
/** Debian with this machine's node and npm (base.mjs). */
export const BASE = `localhost/loyalty-edge-base:node${process.versions.node}`;
/** deploy/Dockerfile, built on BASE. */
export const IMAGE = 'localhost/loyalty-edge:check';

/** @param {number} ms */
export const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

/** @param {string} command */
export function which(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs buildah (or another command) to completion; returns stdout, throws with stderr.
 * @param {string} command
 * @param {string[]} args
 */
export function run(command, args, { quiet = true } = {}) {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', quiet ? 'pipe' : 'inherit'],
  });
  if (result.status !== 0) {
    const tail = `${result.stdout ?? ''}\n${result.stderr ?? ''}`.trim().split('\n').slice(-15);
    throw new Error(`${command} ${args.slice(0, 3).join(' ')} … failed:\n${tail.join('\n')}`);
  }
  return result.stdout.trim();
}

/**
 * @param {string[]} args
 * @param {{ quiet?: boolean }} [options]
 */
export const buildah = (args, options) => run('buildah', [...STORAGE, ...args], options);

/**
 * Streams a long command's output with a prefix; resolves when it exits 0.
 * @param {string} label
 * @param {string} command
 * @param {string[]} args
 * @returns {Promise<void>}
 */
export function runStreaming(label, command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {string[]} */
    const tail = [];
    /** @param {Buffer} chunk */
    const onData = (chunk) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        tail.push(line);
        tail.splice(0, Math.max(0, tail.length - 30));
        if (/STEP \d|^COMMIT|^build:|^added/.test(line))
          console.log(`  ${label}| ${(performance.now() / 1000).toFixed(0)} s ${line}`);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${label} exited ${code}:\n${tail.join('\n')}`)),
    );
  });
}

/** @param {string} name */
export function imageExists(name) {
  return (
    spawnSync('buildah', [...STORAGE, 'inspect', '--type', 'image', name], {
      stdio: 'ignore',
    }).status === 0
  );
}
