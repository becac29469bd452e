// Runs every benchmark scenario, one script (and one process) each, then writes
// docs/benchmarks.md from the result files. BENCH_QUICK=1 runs each one briefly and skips the
// micro-benchmarks (their last result files stay in the report).
//
//   npm run bench            (BENCH_QUICK=1 npm run bench for a short pass)
//   node bench/run.mjs overhead scale   (only the named scenarios, then the report)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const quick = process.env.BENCH_QUICK === '1';
const SCENARIOS = {
  escher: ['bench/escher/verify.bench.mjs'],
  'ip-range': ['bench/ip-range/matcher.bench.mjs'],
  overhead: ['bench/gateway/overhead.mjs'],
  propagation: ['bench/policies/propagation.mjs'],
  scale: ['bench/gateway/scale.mjs'],
  token: ['bench/token/issuance.mjs', quick ? '3' : '8', '32'],
  // full runs only: its quick form (5,000 events, 200,000 rows, about 20 s) does not fit a
  // quick pass's 3 minutes; `node bench/run.mjs audit` runs it alone (quick with BENCH_QUICK=1)
  audit: ['bench/audit/ingest.mjs'],
};

const MICRO = new Set(['escher', 'ip-range']);
const FULL_ONLY = new Set(['audit']);
const only = process.argv.slice(2);
const failed = [];
const started = Date.now();
for (const [name, [script, ...args]] of Object.entries(SCENARIOS)) {
  if (only.length > 0 && !only.includes(name)) continue;
  // the micro-benchmarks have no short form: a quick pass keeps their last result files
  if (quick && only.length === 0 && (MICRO.has(name) || FULL_ONLY.has(name))) continue;
  const began = Date.now();
  process.stdout.write(`\n== ${name}: node ${script} ${args.join(' ')}\n`);
  const run = spawnSync(process.execPath, [script, ...args], { cwd: root, stdio: 'inherit' });
  process.stdout.write(
    `== ${name}: ${run.status === 0 ? 'done' : 'FAILED'} in ${Math.round((Date.now() - began) / 1000)} s\n`,
  );
  if (run.status !== 0) failed.push(name);
}
const report = spawnSync(process.execPath, ['bench/report.mjs'], { cwd: root, stdio: 'inherit' });
process.stdout.write(`\nall scenarios in ${Math.round((Date.now() - started) / 1000)} s\n`);
if (failed.length > 0 || report.status !== 0) {
  process.stderr.write(
    `failed: ${[...failed, ...(report.status === 0 ? [] : ['report'])].join(', ')}\n`,
  );
  process.exit(1);
}
