// fast-check generators of addresses and allow-list rules, for the matcher and entry property
// tests: 128-bit numbers (IPv4 as the mapped ::ffff:a.b.c.d) and their text forms.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';

/** A rule or an address as text with its 128-bit value and prefix (IPv4: prefix + 96). */
export interface Ref {
  readonly text: string;
  readonly bits: bigint;
  readonly prefix: number;
}

export const MAPPED = 0xffffn << 32n;
export const MAX = (1n << 128n) - 1n;

// Text forms of 128-bit numbers.
export const dotted = (v: bigint) => ipaddr.fromByteArray(bytes(v & 0xffffffffn, 4)).toString();
export const hex = (v: bigint) =>
  (ipaddr.fromByteArray(bytes(v, 16)) as ipaddr.IPv6).toNormalizedString();
export const bytes = (v: bigint, n: number) =>
  Array.from({ length: n }, (_, i) => Number((v >> BigInt(8 * (n - 1 - i))) & 0xffn));
export const isMapped = (bits: bigint) => bits >> 32n === 0xffffn;

// -- generators: biased to clusters and shared prefixes so that rules overlap and nest --------
export const u32 = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }),
  fc.constantFrom(0, 1, 0xffff, 0x0a000000, 0x20010db8, 0xfffffffe, 0xffffffff),
  fc.integer({ min: 0, max: 0xff }).map((x) => 0x0a000000 + (x << 8)),
);
export const v4Bits = u32.map((v) => MAPPED | BigInt(v >>> 0));
export const v6Bits = fc
  .tuple(u32, u32, u32, u32)
  .map((ws) => ws.reduce((acc, w) => (acc << 32n) | BigInt(w >>> 0), 0n));

export const v4Rule = fc
  .record({
    bits: v4Bits,
    p: fc.oneof(fc.integer({ min: 0, max: 32 }), fc.integer({ min: 20, max: 32 })),
    mapped: fc.boolean(),
  })
  .map(({ bits, p, mapped }): Ref => ({
    text: mapped
      ? `::ffff:${dotted(bits)}/${96 + p}`
      : p === 32
        ? dotted(bits)
        : `${dotted(bits)}/${p}`,
    bits,
    prefix: 96 + p,
  }));
export const v6Rule = fc
  .record({
    bits: v6Bits,
    p: fc.oneof(fc.integer({ min: 0, max: 128 }), fc.integer({ min: 90, max: 128 })),
  })
  .map(({ bits, p }): Ref => ({ text: `${hex(bits)}/${p}`, bits, prefix: p }));
export const rule = fc.oneof(v4Rule, v6Rule);
