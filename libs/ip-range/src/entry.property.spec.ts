// Property tests of allow-list entries: the parser never throws and names a known reason; every
// notation of a rule normalises to one fixed point; a parsed range matches exactly its own
// addresses (edges in, neighbours out), whichever way a client writes an IPv4 address.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import {
  bytes,
  dotted,
  hex,
  isMapped,
  MAPPED,
  MAX,
  rule,
  u32,
  type Ref,
} from '../test/arbitraries.js';
import type { EntryErrorReason } from './address.js';
import { parseClientAddress } from './client-address.js';
import { parseEntry, parseEntryOrThrow, type InvalidIpEntryError, type IpEntry } from './entry.js';
import { compileMatcher } from './matcher.js';

const REASONS = Object.keys({
  empty: true,
  'inner-whitespace': true,
  'dash-range': true,
  wildcard: true,
  hostname: true,
  'zone-id': true,
  brackets: true,
  port: true,
  'invalid-characters': true,
  'ipv4-too-few-octets': true,
  'ipv4-too-many-octets': true,
  'octet-not-decimal': true,
  'octet-leading-zero': true,
  'octet-out-of-range': true,
  'ipv4-compatible-ipv6': true,
  'ipv6-malformed': true,
  'prefix-not-number': true,
  'prefix-out-of-range': true,
} satisfies Record<EntryErrorReason, true>);

// -- notations of one rule ----------------------------------------------------------------

const v6Text = (bits: bigint, form: number): string => {
  const address = ipaddr.fromByteArray(bytes(bits, 16)) as ipaddr.IPv6;
  const fixed = address.parts.map((part) => part.toString(16).padStart(4, '0')).join(':');
  const text = [address.toRFC5952String(), address.toNormalizedString(), fixed][form % 3] ?? fixed;
  return form % 2 === 0 ? text : text.toUpperCase();
};

/** The rule as an admin may type it: plain, mapped, full-length, upper case, padded. */
const notation = fc
  .record({ r: rule, form: fc.nat(11), pad: fc.constantFrom('', ' ', '\t', ' \n ') })
  .map(({ r, form, pad }): Ref => {
    const v4 = r.prefix >= 96 && isMapped(r.bits);
    const p = r.prefix - 96;
    const forms = v4
      ? [
          p === 32 ? dotted(r.bits) : `${dotted(r.bits)}/${p}`,
          `::ffff:${dotted(r.bits)}/${r.prefix}`,
          `::FFFF:${dotted(r.bits)}`,
          `0:0:0:0:0:ffff:${dotted(r.bits)}/${r.prefix}`,
          `${v6Text(r.bits, form)}/${r.prefix}`,
        ]
      : [`${v6Text(r.bits, form)}/${r.prefix}`, r.prefix === 128 ? v6Text(r.bits, form) : r.text];
    const text = forms[form % forms.length] ?? r.text;
    // `::FFFF:a.b.c.d` names one address
    const prefix = text.includes('/') ? r.prefix : 128;
    return { text: `${pad}${text}${pad}`, bits: r.bits, prefix };
  });

/** Near misses: a valid entry with a few characters removed or inserted. */
const nearMiss = fc
  .tuple(
    notation,
    fc.array(
      fc.record({
        at: fc.nat(),
        remove: fc.nat(2),
        insert: fc.constantFrom(
          '',
          ...'0123456789abcdefABCDEFxX:./%[]-* \t'.split(''),
          '::',
          '/0',
          '.0',
        ),
      }),
      { minLength: 1, maxLength: 3 },
    ),
  )
  .map(([r, edits]) => {
    let text = r.text;
    for (const { at, remove, insert } of edits) {
      const i = at % (text.length + 1);
      text = text.slice(0, i) + insert + text.slice(i + remove);
    }
    return text;
  });

const anyText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789abcdefx:./%[]-* '.split('')), maxLength: 24 }),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 24 }),
  nearMiss,
);

// -- numbers of an entry ------------------------------------------------------------------

/** First and last address of the entry as 128-bit numbers (IPv4 in the mapped block). */
function rangeOf(entry: IpEntry): [bigint, bigint] {
  const value = ipaddr
    .parse(entry.address)
    .toByteArray()
    .reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
  const start = entry.family === 4 ? MAPPED | value : value;
  const hostBits = BigInt((entry.family === 4 ? 32 : 128) - entry.prefixLength);
  return [start, start + (1n << hostBits) - 1n];
}

/** Every way a client may send the address `bits` (IPv4 also as mapped IPv6). */
function clientTexts(bits: bigint): string[] {
  if (!isMapped(bits)) return [hex(bits)];
  return [dotted(bits), `::ffff:${dotted(bits)}`, `[::ffff:${dotted(bits)}]:443`, hex(bits)];
}

// -- properties ---------------------------------------------------------------------------

describe(parseEntry.name, () => {
  it('normalises every notation of a rule to one fixed point', () => {
    fc.assert(
      fc.property(notation, (r) => {
        const first = parseEntry(r.text);
        if (!first.ok) throw new Error(`${JSON.stringify(r.text)}: ${first.reason}`);
        const { entry } = first;
        expect(entry.family).toBe(r.prefix >= 96 && isMapped(r.bits) ? 4 : 6);
        expect(entry.normalized).toMatch(
          entry.family === 4 ? /^\d+\.\d+\.\d+\.\d+(\/\d+)?$/ : /^[0-9a-f:]+(\/\d+)?$/,
        );
        expect(entry.normalized.endsWith(entry.family === 4 ? '/32' : '/128')).toBe(false);
        const again = parseEntry(entry.normalized);
        expect(again).toEqual({
          ok: true,
          entry: { ...entry, input: entry.normalized },
          hostBitsCleared: false,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('never throws, refuses with a known reason, and accepts only what ipaddr.js parses', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = parseEntry(text);
        if (result.ok) {
          const input = result.entry.input;
          expect(ipaddr.isValid(input) || ipaddr.isValidCIDR(input)).toBe(true);
          expect(parseEntry(result.entry.normalized)).toEqual({
            ok: true,
            entry: { ...result.entry, input: result.entry.normalized },
            hostBitsCleared: false,
          });
          expect(parseEntryOrThrow(text)).toEqual(result.entry);
        } else {
          expect(REASONS).toContain(result.reason);
          expect(result.message.length).toBeGreaterThan(0);
          expect(() => parseEntryOrThrow(text)).toThrow(
            expect.objectContaining({ reason: result.reason }) as InvalidIpEntryError,
          );
        }
        parseClientAddress(text);
        parseClientAddress(text, { allowZoneId: true });
      }),
      { numRuns: 3000 },
    );
  });

  it('reads an IPv4-mapped entry as the IPv4 entry, and a shorter prefix as IPv6', () => {
    const mapped = fc.record({ v: u32, p: fc.integer({ min: 0, max: 32 }), short: fc.nat(95) });
    fc.assert(
      fc.property(mapped, ({ v, p, short }) => {
        const address = dotted(BigInt(v >>> 0));
        const plain = parseEntry(`${address}/${p}`);
        const viaMapped = parseEntry(`::ffff:${address}/${96 + p}`);
        expect(viaMapped).toEqual(
          plain.ok
            ? { ...plain, entry: { ...plain.entry, input: `::ffff:${address}/${96 + p}` } }
            : plain,
        );
        expect(parseEntry(`::ffff:${address}/${short}`)).toMatchObject({
          ok: true,
          entry: { family: 6 },
        });
      }),
      { numRuns: 500 },
    );
  });
});

describe('a parsed range', () => {
  it('matches its first, last and any inner address, and neither neighbour outside', () => {
    fc.assert(
      fc.property(notation, fc.bigInt({ min: 0n, max: MAX }), (r, noise) => {
        const result = parseEntry(r.text);
        if (!result.ok) throw new Error(`${JSON.stringify(r.text)}: ${result.reason}`);
        const [start, end] = rangeOf(result.entry);
        const matcher = compileMatcher([result.entry]);
        const lowest = result.entry.family === 4 ? MAPPED : 0n;
        const highest = result.entry.family === 4 ? MAPPED | 0xffffffffn : MAX;
        const cases: [bigint, boolean][] = [
          [start, true],
          [end, true],
          [start + (noise % (end - start + 1n)), true],
          ...(start > lowest ? [[start - 1n, false] as [bigint, boolean]] : []),
          ...(end < highest ? [[end + 1n, false] as [bigint, boolean]] : []),
        ];
        for (const [bits, inside] of cases) {
          for (const text of clientTexts(bits)) {
            const client = parseClientAddress(text);
            if (client === undefined) throw new Error(`client ${text} does not parse`);
            expect({ entry: r.text, client: text, matches: matcher.matches(client) }).toEqual({
              entry: r.text,
              client: text,
              matches: inside,
            });
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('of IPv4 never admits an IPv6 client outside the mapped block', () => {
    fc.assert(
      fc.property(u32, fc.integer({ min: 0, max: 32 }), (v, p) => {
        const low = BigInt(v >>> 0);
        const matcher = compileMatcher([`${dotted(low)}/${p}`]);
        // the same 32 bits as IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96) and in 2001:db8::/96
        for (const bits of [low, (0x64ff9bn << 96n) | low, (0x20010db8n << 96n) | low]) {
          const client = parseClientAddress(hex(bits));
          expect(client?.family).toBe(6);
          if (client !== undefined) expect(matcher.matches(client)).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });
});
