// The compiled allow-list. Rules are merged per family into sorted, disjoint intervals of
// numeric addresses (interval-table.ts), so a lookup is a bucket-indexed binary search whose
// cost hardly grows with the number of rules, and touches only numbers (no strings, BigInt).
//
// Address model: IPv4 a.b.c.d and IPv4-mapped ::ffff:a.b.c.d are the same address. Client
// addresses arrive unmapped (see parseClientAddress); an IPv6 rule that overlaps the mapped
// block ::ffff:0:0/96 (e.g. ::/0) therefore also yields the matching IPv4 interval.
import ipaddr from 'ipaddr.js';
import { ipv4ToNumber, ipv6ToWords } from './address.js';
import { type ClientAddress } from './client-address.js';
import { type IpEntry, parseEntryOrThrow } from './entry.js';
import {
  type Interval,
  type IntervalTable,
  buildTable,
  containsV4,
  containsV6,
  mergeIntervals,
} from './interval-table.js';

export interface IpMatcher {
  /** True when the address lies in any rule. An empty rule list matches nothing. */
  matches(address: ClientAddress): boolean;
  /** Disjoint intervals after merging, per family (for metrics and debugging). */
  readonly intervalCount: { readonly ipv4: number; readonly ipv6: number };
}

const MAPPED_START = 0xffffn << 32n;
const MAPPED_END = MAPPED_START + 0xffffffffn;

/**
 * Compiles entries into a matcher. Strings are parsed with `parseEntry` (the gateway passes
 * the normalized entry strings it reads from the KV store); an invalid one throws
 * `InvalidIpEntryError`, so a caller can keep its previous matcher.
 */
export function compileMatcher(entries: Iterable<IpEntry | string>): IpMatcher {
  const v4: Interval[] = [];
  const v6: Interval[] = [];
  for (const item of entries) {
    const entry = parseEntryOrThrow(typeof item === 'string' ? item : item.normalized);
    if (entry.family === 4) {
      const start = BigInt(ipv4ToNumber(ipaddr.IPv4.parse(entry.address)));
      v4.push([start, start + (1n << BigInt(32 - entry.prefixLength)) - 1n]);
      continue;
    }
    const [w0, w1, w2, w3] = ipv6ToWords(ipaddr.IPv6.parse(entry.address));
    const start = (BigInt(w0) << 96n) | (BigInt(w1) << 64n) | (BigInt(w2) << 32n) | BigInt(w3);
    const end = start + (1n << BigInt(128 - entry.prefixLength)) - 1n;
    v6.push([start, end]);
    if (start <= MAPPED_END && end >= MAPPED_START) {
      const from = start > MAPPED_START ? start : MAPPED_START;
      const to = end < MAPPED_END ? end : MAPPED_END;
      v4.push([from - MAPPED_START, to - MAPPED_START]);
    }
  }
  return new IntervalMatcher(buildTable(mergeIntervals(v4), 1), buildTable(mergeIntervals(v6), 4));
}

class IntervalMatcher implements IpMatcher {
  readonly intervalCount: { readonly ipv4: number; readonly ipv6: number };

  constructor(
    private readonly v4: IntervalTable,
    private readonly v6: IntervalTable,
  ) {
    this.intervalCount = { ipv4: v4.count, ipv6: v6.count };
  }

  matches(address: ClientAddress): boolean {
    if (address.family === 4) return containsV4(this.v4, address.value);
    const [a0, a1, a2, a3] = address.words;
    return containsV6(this.v6, a0, a1, a2, a3);
  }
}
