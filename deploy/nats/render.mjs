#!/usr/bin/env node
// Renders the NATS permission matrix of deploy/nats/permissions.mjs.
//
//   node deploy/nats/render.mjs                        accounts block for prefix `le` on stdout
//   node deploy/nats/render.mjs --prefix acme          … for another NATS_PREFIX
//   node deploy/nats/render.mjs --markdown             the matrix as a Markdown table
//   node deploy/nats/render.mjs --dev-env              `export` lines with random passwords
//                                                      (LE_NATS_PASSWORD_<USER> for nats-server)
//   node deploy/nats/render.mjs --write                regenerate the committed files
//   node deploy/nats/render.mjs --check                exit 1 when a committed file is stale, or
//                                                      grants less than the snapshot or the matrix
//   node deploy/nats/render.mjs --snapshot [--release 1.4.0]
//                                                      at release time: keep this matrix as
//                                                      permissions.previous.json (then --write)
//
// The committed files grant the union of permissions.mjs and permissions.previous.json (the
// previous release's matrix), so an upgrade never takes away what its old pods use (compat.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import {
  SNAPSHOT,
  USERS,
  chartJson,
  currentJson,
  expandForCompare,
  passwordVariable,
  readSnapshot,
  renderAccounts,
  renderMarkdown,
} from './permissions.mjs';
import { missingGrants, unionPermissions } from './compat.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');

const { values } = parseArgs({
  options: {
    prefix: { type: 'string', default: 'le' },
    markdown: { type: 'boolean', default: false },
    write: { type: 'boolean', default: false },
    check: { type: 'boolean', default: false },
    'dev-env': { type: 'boolean', default: false },
    snapshot: { type: 'boolean', default: false },
    release: { type: 'string' },
  },
});

if (!/^[A-Za-z][A-Za-z0-9_-]{0,30}$/.test(values.prefix)) {
  // the same rule as NATS_PREFIX (libs/shared/config/src/common.ts)
  console.error('--prefix must be a letter then up to 30 letters, digits, _ or -');
  process.exit(2);
}

/** JSON as the repository's Prettier writes it (so `npm run format:check` agrees). */
async function formatJson(value) {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  try {
    const prettier = await import('prettier');
    const options = (await prettier.resolveConfig(join(root, 'package.json'))) ?? {};
    return await prettier.format(text, { ...options, parser: 'json' });
  } catch {
    return text; // no Prettier installed: plain JSON
  }
}

/** The chart's permissions (the union), as committed. */
const chartFile = {
  path: join(root, 'helm', 'loyalty-edge', 'files', 'nats-permissions.json'),
  content: await formatJson(chartJson()),
};
/** The committed, generated files and their expected content. */
const generated = [
  { path: join(here, 'accounts.conf'), content: renderAccounts({ prefix: 'le' }) },
  chartFile,
];

if (values.snapshot) {
  // at release time: what this release's pods use becomes what the next release must keep
  const snapshot = currentJson();
  if (values.release) snapshot.release = values.release;
  writeFileSync(SNAPSHOT, await formatJson(snapshot));
  console.log(`wrote ${relative(root, SNAPSHOT)}; now run node deploy/nats/render.mjs --write`);
  process.exit(0);
}

/** The rendered files against the snapshot and the matrix: what the union must grant. */
function checkUnion() {
  const previous = readSnapshot();
  if (!previous) {
    console.error(
      `missing: ${relative(root, SNAPSHOT)} (run node deploy/nats/render.mjs --snapshot)`,
    );
    return 1;
  }
  const rendered = JSON.parse(readFileSync(chartFile.path, 'utf8'));
  const { deferredDenies } = unionPermissions(currentJson(), previous, expandForCompare);
  const problems = [
    ...missingGrants(previous, rendered, expandForCompare).map((p) => `snapshot: ${p}`),
    ...missingGrants(currentJson(), rendered, expandForCompare).map((p) => `matrix: ${p}`),
  ];
  for (const problem of problems) console.error(`not granted: ${problem}`);
  const count = (json) =>
    json.users.reduce(
      (n, u) => n + u.publish.allow.length + u.subscribe.allow.length + (u.allowResponses ? 1 : 0),
      0,
    );
  if (problems.length === 0) {
    console.log(
      `nats permissions: the union grants all ${count(previous)} permissions of the snapshot` +
        `${previous.release ? ` (release ${previous.release})` : ''} and all ${count(currentJson())} of permissions.mjs`,
    );
  }
  for (const { user, direction, subject } of deferredDenies) {
    console.log(`  deferred to the next snapshot: ${user} ${direction} deny ${subject}`);
  }
  return problems.length === 0 ? 0 : 1;
}

if (values.write || values.check) {
  let stale = 0;
  for (const file of generated) {
    let current = '';
    try {
      current = readFileSync(file.path, 'utf8');
    } catch {
      // missing counts as stale
    }
    if (current === file.content) continue;
    if (values.write) {
      writeFileSync(file.path, file.content);
      console.log(`wrote ${relative(root, file.path)}`);
    } else {
      console.error(
        `stale: ${relative(root, file.path)} (run node deploy/nats/render.mjs --write)`,
      );
      stale += 1;
    }
  }
  if (values.check && stale === 0) console.log('nats permissions: generated files are up to date');
  const unionProblems = values.check && stale === 0 ? checkUnion() : 0;
  process.exit(stale === 0 && unionProblems === 0 ? 0 : 1);
}

if (values['dev-env']) {
  // for a local run only: the same value goes to nats-server and, as NATS_PASSWORD, to the service
  for (const user of USERS) {
    // a letter, then hex: nats-server parses the variable as a config value, so a leading digit
    // or `-` would not read back as the same string
    process.stdout.write(
      `export ${passwordVariable(user.name)}=n${randomBytes(24).toString('hex')}\n`,
    );
  }
  process.exit(0);
}

process.stdout.write(
  values.markdown
    ? `${renderMarkdown(values.prefix)}\n`
    : renderAccounts({ prefix: values.prefix }),
);
