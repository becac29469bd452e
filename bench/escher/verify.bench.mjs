// Escher verification cost per request with a warm day-key cache, as the gateway does it:
// prepare (canonicalise, hash the body) + complete (HMAC with the cached derived key). Three
// header-signed requests (a GET with a query, two JSON POSTs) and a pre-signed GET URL.
//
//   node tools/build.mjs --no-web && node bench/escher/verify.bench.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Escher from 'escher-auth';
import {
  antavoParams,
  deriveSigningKey,
  EscherVerifier,
  toShortDate,
} from '../../libs/escher/dist/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const secret = 'les_benchmark-secret-0123456789abcdef';
const params = antavoParams('eu');
const client = new Escher({ ...params, accessKeyId: 'lek_bench', apiSecret: secret });
const verifier = new EscherVerifier(params);
const key = deriveSigningKey(
  secret,
  'ANTAVO',
  'SHA256',
  toShortDate(Date.now()),
  'eu/api/antavo_request',
);
const lookup = () => ({ signingKey: key });

function rawHeaders(pairs) {
  return pairs.flatMap(([name, value]) => [name, value]);
}

const cases = {
  'GET with a query': { method: 'GET', url: '/customers/c1?fields=score&page=2', body: '' },
  'POST, 300-byte JSON': {
    method: 'POST',
    url: '/events',
    body: JSON.stringify({
      customer: 'customer-0001',
      action: 'point_add',
      data: { points: 120, reason: 'purchase', order: 'o-'.padEnd(200, 'x') },
    }),
  },
  'POST, 7 KiB JSON': {
    method: 'POST',
    url: '/events/bulk',
    body: JSON.stringify({
      events: Array.from({ length: 120 }, (_, i) => ({
        customer: `c${i}`,
        action: 'point_add',
        data: { points: i },
      })),
    }),
  },
};

/** A header-signed request as the gateway hands it over: rawHeaders and the body bytes. */
function headerSigned(spec) {
  const signed = client.signRequest(
    {
      method: spec.method,
      url: spec.url,
      headers: [
        ['Host', 'gw.example.com'],
        ['Content-Type', 'application/json'],
      ],
    },
    spec.body,
  );
  return {
    method: spec.method,
    url: spec.url,
    headers: rawHeaders(signed.headers),
    body: Buffer.from(spec.body),
  };
}

/** A pre-signed GET URL (valid 10 minutes) with a query of its own, as a browser sends it. */
function presigned() {
  const url = client.preSignUrl('https://gw.example.com/customers/c1?fields=score&page=2', 600);
  return {
    method: 'GET',
    url: url.slice('https://gw.example.com'.length),
    headers: rawHeaders([
      ['Host', 'gw.example.com'],
      ['User-Agent', 'Mozilla/5.0 (X11; Linux x86_64)'],
      ['Accept', '*/*'],
    ]),
    body: Buffer.alloc(0),
  };
}

const requests = Object.fromEntries(
  Object.entries(cases).map(([name, spec]) => [name, headerSigned(spec)]),
);
requests['pre-signed GET with a query'] = presigned();

const results = {};
for (const [name, request] of Object.entries(requests)) {
  if (verifier.authenticate(request, lookup) !== 'lek_bench')
    throw new Error('verification failed');
  const rounds = [];
  const cpuRounds = [];
  for (let round = 0; round < 9; round += 1) {
    const n = 20_000;
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    for (let i = 0; i < n; i += 1) verifier.authenticate(request, lookup);
    const cpu = process.cpuUsage(cpuStarted);
    rounds.push(Number(process.hrtime.bigint() - started) / n / 1000);
    cpuRounds.push((cpu.user + cpu.system) / n);
  }
  rounds.sort((a, b) => a - b);
  cpuRounds.sort((a, b) => a - b);
  results[name] = {
    bodyBytes: request.body.length,
    microsecondsPerVerify: Number(rounds[4].toFixed(2)),
    verifiesPerSecondOneCore: Math.round(1e6 / rounds[4]),
    cpuMicrosecondsPerVerify: Number(cpuRounds[4].toFixed(2)),
  };
}
const output = {
  date: new Date().toISOString(),
  node: process.version,
  method:
    'median of 9 rounds of 20,000 verifications after a check run; wall clock, and the CPU time ' +
    'of the process (steadier on a shared machine)',
  results,
};
mkdirSync(`${root}/bench/results`, { recursive: true });
writeFileSync(`${root}/bench/results/escher-verify.json`, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
