// The compiled matcher against a naive reference: every address and rule is a 128-bit number
// (IPv4 a.b.c.d as the mapped ::ffff:a.b.c.d, its prefix + 96) and a rule matches when the
// top `prefix` bits agree. Random rules and addresses from fast-check, plus a fixed seed
// corpus of past and likely failures.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  hex,
  isMapped,
  MAPPED,
  MAX,
  dotted,
  rule,
  v4Bits,
  v4Rule,
  v6Bits,
  v6Rule,
  type Ref,
} from '../test/arbitraries.js';
import { parseClientAddress } from './client-address.js';
import { compileMatcher } from './matcher.js';

const refMatches = (rules: readonly Ref[], bits: bigint) =>
  rules.some((r) => ((bits ^ r.bits) & MAX) >> BigInt(128 - r.prefix) === 0n);

function expectSameAsReference(rules: readonly Ref[], addresses: readonly Ref[]) {
  const matcher = compileMatcher(rules.map((r) => r.text));
  for (const address of addresses) {
    const client = parseClientAddress(address.text);
    if (!client) throw new Error(`address ${address.text} does not parse`);
    const expected = refMatches(rules, address.bits);
    expect({ address: address.text, matches: matcher.matches(client) }).toEqual({
      address: address.text,
      matches: expected,
    });
  }
}

/** An address as text: IPv4 (plain, mapped or with a port) when in the mapped block. */
const addressText = (bits: bigint, form: number): string => {
  if (!isMapped(bits)) return form % 2 === 0 ? hex(bits) : `[${hex(bits)}]:443`;
  return [dotted(bits), `::ffff:${dotted(bits)}`, `${dotted(bits)}:8080`][form % 3] ?? '';
};

/** Addresses on and around the rules' edges, inside them, and anywhere. */
const addressesFor = (rules: readonly Ref[]) => {
  const near = rules.length
    ? fc
        .record({
          i: fc.nat(rules.length - 1),
          edge: fc.integer({ min: 0, max: 4 }),
          noise: v6Bits,
        })
        .map(({ i, edge, noise }) => {
          const r = rules[i]!;
          const hostMask = MAX >> BigInt(r.prefix);
          const start = r.bits & ~hostMask & MAX;
          const end = start | hostMask;
          const inside = start | (noise & hostMask);
          return [start - 1n, start, inside, end, end + 1n][edge]!;
        })
        .filter((bits) => bits >= 0n && bits <= MAX)
    : v4Bits;
  return fc.array(
    fc
      .record({ bits: fc.oneof(near, v4Bits, v6Bits), form: fc.nat(5) })
      .map(({ bits, form }): Ref => ({ text: addressText(bits, form), bits, prefix: 128 })),
    { minLength: 1, maxLength: 40 },
  );
};

const scenario = (minRules: number, maxRules: number) =>
  fc
    .array(rule, { minLength: minRules, maxLength: maxRules, size: 'max' })
    .chain((rules) => fc.tuple(fc.constant(rules), addressesFor(rules)));

describe(compileMatcher.name, () => {
  it('agrees with the naive reference on small random rule lists', () => {
    fc.assert(
      fc.property(scenario(0, 12), ([rules, addresses]) => {
        expectSameAsReference(rules, addresses);
      }),
      { numRuns: 500 },
    );
  });

  it('agrees with the naive reference on large rule lists (bucket index)', () => {
    fc.assert(
      fc.property(scenario(17, 400), ([rules, addresses]) => {
        expectSameAsReference(rules, addresses);
      }),
      { numRuns: 60 },
    );
  });

  it('agrees on IPv4-only and IPv6-only lists', () => {
    for (const only of [v4Rule, v6Rule]) {
      fc.assert(
        fc.property(
          fc
            .array(only, { maxLength: 60, size: 'max' })
            .chain((r) => fc.tuple(fc.constant(r), addressesFor(r))),
          ([rules, addresses]) => {
            expectSameAsReference(rules, addresses);
          },
        ),
        { numRuns: 150 },
      );
    }
  });

  // Fixed regression cases: edges of the address space, the mapped block, word boundaries,
  // adjacency, and lists long enough to use the bucket index.
  const corpus: [string, string[], string[]][] = [
    [
      'adjacent halves',
      ['10.0.0.0/25', '10.0.0.128/25'],
      ['10.0.0.127', '10.0.0.128', '10.0.1.0', '9.255.255.255'],
    ],
    [
      'top of both spaces',
      ['255.255.255.255', 'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff'],
      [
        '255.255.255.255',
        '255.255.255.254',
        'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
        'ffff:ffff:ffff:ffff:ffff:ffff:ffff:fffe',
      ],
    ],
    ['bottom of both spaces', ['0.0.0.0', '::'], ['0.0.0.0', '0.0.0.1', '::', '::1']],
    ['::/0 covers IPv4', ['::/0'], ['1.2.3.4', '::1', 'ffff::']],
    [
      'the mapped block',
      ['::ffff:0:0/96'],
      ['0.0.0.0', '255.255.255.255', '::fffe:ffff:ffff', '::1:0:0:0'],
    ],
    ['just below the mapped block', ['::fffe:0:0/96'], ['::fffe:1:2', '1.2.3.4']],
    [
      'straddling the mapped block',
      ['::ffff:8000:0/95', '::1:0:0:0/80'],
      ['0.0.0.1', '::fffe:0:0', '::fffe:ffff:ffff', '::1:ffff:ffff:ffff', '::2:0:0:0'],
    ],
    [
      'IPv6 word boundaries',
      ['2001:db8::/32', '2001:db8:0:1::/64', '::1:0:0/96'],
      [
        '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff',
        '2001:db9::',
        '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff',
        '::1:ffff:ffff',
        '::2:0:0',
      ],
    ],
    [
      'nested and duplicate rules',
      ['10.0.0.0/8', '10.1.0.0/16', '10.1.0.0/16', '10.1.2.3'],
      ['10.255.255.255', '11.0.0.0', '10.1.2.3', '9.255.255.255'],
    ],
    [
      'host bits',
      ['192.168.0.3/24'],
      ['192.168.0.0', '192.168.0.255', '192.168.1.0', '192.167.255.255'],
    ],
    [
      '40 IPv4 rules (indexed)',
      Array.from({ length: 40 }, (_, i) => `${i * 6}.0.0.0/8`),
      [
        '0.0.0.0',
        '5.0.0.0',
        '233.255.255.255',
        '234.0.0.0',
        '235.0.0.0',
        '255.255.255.255',
        '119.0.0.0',
        '120.0.0.1',
      ],
    ],
    [
      '40 IPv6 rules (indexed)',
      Array.from({ length: 40 }, (_, i) => `${(i * 0x600).toString(16)}::/16`),
      ['::', '::1', '600::', '5ff:ffff::', 'ea00::1', 'eb00::', 'ffff::', '1.2.3.4'],
    ],
  ];

  it.each(corpus)('agrees with the reference on the seed case: %s', (_name, rules, addresses) => {
    const ref = (text: string): Ref => {
      const [address, prefix] = text.includes('/')
        ? ipaddr.parseCIDR(text)
        : [ipaddr.parse(text), undefined];
      const v4 = address.kind() === 'ipv4';
      const value = address.toByteArray().reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
      const full = prefix ?? (v4 ? 32 : 128);
      return { text, bits: v4 ? MAPPED | value : value, prefix: v4 ? full + 96 : full };
    };
    expectSameAsReference(rules.map(ref), addresses.map(ref));
  });
});
