// Sorted, disjoint address intervals in flat uint32 arrays, with a bucket index so that a
// lookup runs a binary search over a handful of intervals instead of all of them.
//
// Every interval start has a 32-bit *key*: IPv4 the address itself, IPv6 its top word. The
// key range [base, max start key] is cut into 2^k equal buckets (2^k ≈ interval count);
// `bounds[b]` is the first interval whose key is in bucket b or later. An address in bucket
// b can only lie in interval bounds[b] - 1 … bounds[b + 1] - 1, so with spread-out rules the
// search covers one or two intervals whatever the rule count. Rules packed into one bucket
// (e.g. every IPv6 rule inside one /32) fall back to an ordinary O(log n) binary search.

/** An inclusive range of addresses as numbers (IPv4 < 2^32, IPv6 < 2^128). */
export type Interval = readonly [start: bigint, end: bigint];

export interface IntervalTable {
  /** Starts and ends, `wordsPer` uint32 words per address, most significant first. */
  readonly starts: Uint32Array;
  readonly ends: Uint32Array;
  readonly count: number;
  /** Smallest start key; addresses below it match nothing. */
  readonly base: number;
  readonly shift: number;
  readonly lastBucket: number;
  readonly bounds: Uint32Array;
}

const MAX_BUCKETS = 1 << 16;
const MIN_INDEXED = 16;

/** Sorts intervals and joins overlapping or adjacent ones. */
export function mergeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = [...intervals].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const merged: [bigint, bigint][] = [];
  for (const [start, end] of sorted) {
    const last = merged.at(-1);
    if (last && start <= last[1] + 1n) {
      if (end > last[1]) last[1] = end;
    } else {
      merged.push([start, end]);
    }
  }
  return merged;
}

/** Builds the table of already merged intervals, `wordsPer` = 1 (IPv4) or 4 (IPv6). */
export function buildTable(merged: readonly Interval[], wordsPer: 1 | 4): IntervalTable {
  const count = merged.length;
  const starts = new Uint32Array(count * wordsPer);
  const ends = new Uint32Array(count * wordsPer);
  merged.forEach(([start, end], i) => {
    for (let w = 0; w < wordsPer; w++) {
      const shift = BigInt(32 * (wordsPer - 1 - w));
      starts[i * wordsPer + w] = Number((start >> shift) & 0xffffffffn);
      ends[i * wordsPer + w] = Number((end >> shift) & 0xffffffffn);
    }
  });

  const keys = Array.from({ length: count }, (_, i) => starts[i * wordsPer] ?? 0);
  const base = keys[0] ?? 0;
  const span = (keys.at(-1) ?? 0) - base;
  let buckets = 1;
  while (count >= MIN_INDEXED && buckets < count && buckets < MAX_BUCKETS) buckets *= 2;
  let shift = 0;
  while (buckets > 1 && Math.floor(span / 2 ** shift) >= buckets) shift++;

  const bounds = new Uint32Array(buckets + 1);
  let next = 0;
  for (let b = 0; b < buckets; b++) {
    const bucketStart = base + b * 2 ** shift;
    while (next < count && (keys[next] ?? 0) < bucketStart) next++;
    bounds[b] = next;
  }
  bounds[buckets] = count;
  return { starts, ends, count, base, shift, lastBucket: buckets - 1, bounds };
}

/** The bucket of a key at or above `base`; keys past the last bucket go to the last one. */
function bucketOf(table: IntervalTable, key: number): number {
  const b = (key - table.base) >>> table.shift;
  return b < table.lastBucket ? b : table.lastBucket;
}

/** True when the IPv4 address (uint32) lies in an interval of a 1-word table. */
export function containsV4(table: IntervalTable, x: number): boolean {
  if (table.count === 0 || x < table.base) return false;
  const { starts, ends, bounds } = table;
  const b = bucketOf(table, x);
  // Intervals before bounds[b] start below x; the last of them is the fallback answer.
  let found = (bounds[b] ?? 0) - 1;
  let lo = found + 1;
  let hi = (bounds[b + 1] ?? 0) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if ((starts[mid] ?? 0) <= x) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && x <= (ends[found] ?? 0);
}

/** True when the IPv6 address (four words) lies in an interval of a 4-word table. */
export function containsV6(
  table: IntervalTable,
  a0: number,
  a1: number,
  a2: number,
  a3: number,
): boolean {
  if (table.count === 0 || a0 < table.base) return false;
  const { starts, ends, bounds } = table;
  const b = bucketOf(table, a0);
  let found = (bounds[b] ?? 0) - 1;
  let lo = found + 1;
  let hi = (bounds[b + 1] ?? 0) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (compareAt(starts, mid << 2, a0, a1, a2, a3) <= 0) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found >= 0 && compareAt(ends, found << 2, a0, a1, a2, a3) >= 0;
}

/** Sign of (table address at word offset i) − (a0,a1,a2,a3), comparing word by word. */
function compareAt(t: Uint32Array, i: number, a0: number, a1: number, a2: number, a3: number) {
  const t0 = t[i] ?? 0;
  if (t0 !== a0) return t0 < a0 ? -1 : 1;
  const t1 = t[i + 1] ?? 0;
  if (t1 !== a1) return t1 < a1 ? -1 : 1;
  const t2 = t[i + 2] ?? 0;
  if (t2 !== a2) return t2 < a2 ? -1 : 1;
  const t3 = t[i + 3] ?? 0;
  return t3 === a3 ? 0 : t3 < a3 ? -1 : 1;
}
