// Compiles every TypeScript project (apps/*, libs/**) from src/ to dist/ with swc, skipping
// files whose output is up to date, then builds the admin web app with Vite.
import { readFileSync, readdirSync, statSync, mkdirSync, writeFileSync, existsSync } from 'node:fs';
import { join, dirname, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { transformFileSync } from '@swc/core';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const swcOptions = JSON.parse(readFileSync(join(root, '.swcrc'), 'utf8'));

function projects() {
  const found = [];
  const walk = (dir, depth) => {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src'))) found.push(dir);
    if (depth === 0) return;
    for (const name of readdirSync(dir)) {
      const child = join(dir, name);
      if (name !== 'node_modules' && name !== 'dist' && statSync(child).isDirectory()) {
        walk(child, depth - 1);
      }
    }
  };
  walk(join(root, 'apps'), 1);
  walk(join(root, 'libs'), 2);
  walk(join(root, 'tools'), 1);
  return found;
}

function sources(dir) {
  return readdirSync(dir, { recursive: true })
    .map((file) => join(dir, file))
    .filter(
      (file) => file.endsWith('.ts') && !file.endsWith('.spec.ts') && !file.endsWith('.d.ts'),
    );
}

let compiled = 0;
for (const project of projects()) {
  const src = join(project, 'src');
  for (const file of sources(src)) {
    const out = join(project, 'dist', relative(src, file)).replace(/\.ts$/, '.js');
    if (existsSync(out) && statSync(out).mtimeMs >= statSync(file).mtimeMs) continue;
    const { code, map } = transformFileSync(file, {
      ...swcOptions,
      swcrc: false,
      filename: file,
      sourceFileName: relative(dirname(out), file),
    });
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, `${code}\n//# sourceMappingURL=${out.split('/').pop()}.map\n`);
    if (map) writeFileSync(`${out}.map`, map);
    compiled += 1;
  }
}
process.stdout.write(`build: ${compiled} file(s) compiled\n`);

const adminWeb = join(root, 'apps', 'admin-web');
if (existsSync(join(adminWeb, 'vite.config.ts')) && !process.argv.includes('--no-web')) {
  const vite = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: adminWeb,
      stdio: 'inherit',
    },
  );
  if (vite.status !== 0) process.exit(vite.status ?? 1);
}
