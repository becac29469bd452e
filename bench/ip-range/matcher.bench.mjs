// Lookup cost of the compiled IP allow-list for 10 vs 10,000 rules.
//
//   cd /work/main && node tools/build.mjs --no-web && node bench/ip-range/matcher.bench.mjs
//
// Random IPv4 (/16–/32) and IPv6 (/32–/128) rules, half of the lookups inside a rule and half
// random, both families. Each round times every case in turn (interleaved, so JIT and CPU
// frequency drift hit all cases alike); the figure is the median ns per lookup over the
// rounds after warm-up. Writes bench/results/ip-range-matcher.json and prints it.
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { compileMatcher, parseClientAddress } from '../../libs/ip-range/dist/index.js';

const RULE_COUNTS = [10, 10_000];
const LOOKUPS = 4096; // distinct addresses, cycled
const OPS_PER_ROUND = 2_000_000;
const WARMUP_ROUNDS = 3;
const ROUNDS = 11;

// Deterministic PRNG (mulberry32) so every run measures the same rules and addresses.
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const random = prng(20240101);
const int = (min, max) => min + Math.floor(random() * (max - min + 1));
const u32 = () => int(0, 0xffffffff);

// Rules as words: IPv4 one uint32, IPv6 four.
function randomRule(family) {
  return family === 4
    ? { family, words: [u32()], prefix: int(16, 32) }
    : { family, words: [u32(), u32(), u32(), u32()], prefix: int(32, 128) };
}
const ruleText = ({ family, words, prefix }) =>
  family === 4 ? `${v4Text(words[0])}/${prefix}` : `${v6Text(words)}/${prefix}`;
const v4Text = (x) => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.');
const v6Text = (words) =>
  words.flatMap((w) => [(w >>> 16).toString(16), (w & 0xffff).toString(16)]).join(':');

// An address inside the rule: keep the prefix bits, randomise the rest.
function inside({ words, prefix }) {
  return words.map((w, i) => {
    const keep = Math.max(0, Math.min(32, prefix - 32 * i));
    const mask = keep === 0 ? 0 : (0xffffffff << (32 - keep)) >>> 0;
    return ((w & mask) | (u32() & ~mask)) >>> 0;
  });
}

function scenario(ruleCount) {
  const rules = Array.from({ length: ruleCount }, (_, i) => randomRule(i % 2 === 0 ? 4 : 6));
  const started = process.hrtime.bigint();
  const matcher = compileMatcher(rules.map(ruleText));
  const compileMs = Number(process.hrtime.bigint() - started) / 1e6;
  const lookups = (family) => {
    const ofFamily = rules.filter((r) => r.family === family);
    return Array.from({ length: LOOKUPS }, () => {
      const words =
        random() < 0.5 ? inside(ofFamily[int(0, ofFamily.length - 1)]) : randomRule(family).words;
      return parseClientAddress(family === 4 ? v4Text(words[0]) : v6Text(words));
    });
  };
  const v4 = lookups(4);
  const v6 = lookups(6);
  const mixed = v4.map((a, i) => (i % 2 === 0 ? a : v6[i]));
  return { ruleCount, matcher, compileMs, lookups: { mixed, ipv4: v4, ipv6: v6 } };
}

function time(matcher, addresses) {
  const mask = addresses.length - 1;
  let hits = 0;
  const started = process.hrtime.bigint();
  for (let i = 0; i < OPS_PER_ROUND; i++) {
    if (matcher.matches(addresses[i & mask])) hits++;
  }
  const ns = Number(process.hrtime.bigint() - started) / OPS_PER_ROUND;
  return { ns, hits };
}

function timeParse(texts) {
  const mask = texts.length - 1;
  let parsed = 0;
  const ops = OPS_PER_ROUND / 4;
  const started = process.hrtime.bigint();
  for (let i = 0; i < ops; i++) if (parseClientAddress(texts[i & mask])) parsed++;
  return { ns: Number(process.hrtime.bigint() - started) / ops, parsed };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const round2 = (x) => Math.round(x * 100) / 100;

const scenarios = RULE_COUNTS.map(scenario);
const cases = scenarios.flatMap((s) =>
  Object.entries(s.lookups).map(([kind, addresses]) => ({ s, kind, addresses, samples: [] })),
);
const parseTexts = scenarios[0].lookups.mixed.map((a) => a.text);
const parseSamples = [];
let sink = 0;
for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
  for (const c of cases) {
    const { ns, hits } = time(c.s.matcher, c.addresses);
    sink += hits;
    if (round >= WARMUP_ROUNDS) c.samples.push(ns);
  }
  const { ns, parsed } = timeParse(parseTexts);
  sink += parsed;
  if (round >= WARMUP_ROUNDS) parseSamples.push(ns);
}

const nsPerLookup = {};
for (const c of cases) {
  nsPerLookup[c.kind] ??= {};
  nsPerLookup[c.kind][c.s.ruleCount] = round2(median(c.samples));
}
const [small, large] = RULE_COUNTS;
const ratio = Object.fromEntries(
  Object.entries(nsPerLookup).map(([kind, byCount]) => [
    kind,
    round2(byCount[large] / byCount[small]),
  ]),
);
const results = {
  benchmark: 'ip-range matcher lookup',
  date: new Date().toISOString(),
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  method: `${ROUNDS} rounds of ${OPS_PER_ROUND} lookups after ${WARMUP_ROUNDS} warm-up rounds, median; ${LOOKUPS} pre-parsed addresses, half inside a rule`,
  goal: `${large} rules within 2x of ${small} rules`,
  nsPerLookup,
  ratioLargeToSmall: ratio,
  goalMet: Object.values(ratio).every((r) => r <= 2),
  intervals: Object.fromEntries(scenarios.map((s) => [s.ruleCount, s.matcher.intervalCount])),
  compileMs: Object.fromEntries(scenarios.map((s) => [s.ruleCount, round2(s.compileMs)])),
  parseClientAddressNs: round2(median(parseSamples)),
};
if (sink === 0) throw new Error('no lookup matched: the benchmark is broken');

const out = new URL('../results/ip-range-matcher.json', import.meta.url);
mkdirSync(new URL('.', out), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
