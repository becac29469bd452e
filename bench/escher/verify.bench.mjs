// Escher verification cost per request with a warm day-key cache, as the gateway does it:
// prepare (canonicalise, hash the body) + complete (HMAC with the cached derived key).
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

const results = {};
for (const [name, spec] of Object.entries(cases)) {
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
  const request = {
    method: spec.method,
    url: spec.url,
    headers: rawHeaders(signed.headers),
    body: Buffer.from(spec.body),
  };
  if (verifier.authenticate(request, lookup) !== 'lek_bench')
    throw new Error('verification failed');
  const rounds = [];
  for (let round = 0; round < 9; round += 1) {
    const n = 20_000;
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) verifier.authenticate(request, lookup);
    rounds.push(Number(process.hrtime.bigint() - started) / n / 1000);
  }
  rounds.sort((a, b) => a - b);
  results[name] = {
    bodyBytes: request.body.length,
    microsecondsPerVerify: Number(rounds[4].toFixed(2)),
    verifiesPerSecondOneCore: Math.round(1e6 / rounds[4]),
  };
}
const output = {
  date: new Date().toISOString(),
  node: process.version,
  method: 'median of 9 rounds of 20,000 verifications after a check run',
  results,
};
mkdirSync(`${root}/bench/results`, { recursive: true });
writeFileSync(`${root}/bench/results/escher-verify.json`, `${JSON.stringify(output, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
