import {
  type Interval,
  buildTable,
  containsV4,
  containsV6,
  mergeIntervals,
} from './interval-table.js';

const linear = (intervals: readonly Interval[], x: bigint) =>
  intervals.some(([start, end]) => start <= x && x <= end);

describe(mergeIntervals.name, () => {
  it('sorts, joins overlapping and adjacent intervals, keeps gaps', () => {
    expect(
      mergeIntervals([
        [20n, 30n],
        [0n, 5n],
        [6n, 9n],
        [25n, 26n],
        [31n, 31n],
        [33n, 40n],
      ]),
    ).toEqual([
      [0n, 9n],
      [20n, 31n],
      [33n, 40n],
    ]);
  });

  it('handles the top of the address space', () => {
    expect(
      mergeIntervals([
        [0xfffffffen, 0xffffffffn],
        [0n, 0xffffffffn],
      ]),
    ).toEqual([[0n, 0xffffffffn]]);
  });
});

describe(buildTable.name, () => {
  it('indexes large tables and finds every boundary', () => {
    // 3000 intervals of varying width and gap, packed at the low end and spread at the top.
    const intervals: Interval[] = [];
    let at = 1000n;
    for (let i = 0; i < 3000; i++) {
      const width = BigInt((i * 7919) % 97);
      intervals.push([at, at + width]);
      at += width + 2n + BigInt(i < 2000 ? (i * 31) % 5 : ((i * 104729) % 9973) * 300);
    }
    intervals.push([0xffffff00n, 0xffffffffn]);
    const merged = mergeIntervals(intervals);
    const table = buildTable(merged, 1);
    expect(table.lastBucket).toBeGreaterThan(0);
    for (const [start, end] of merged) {
      for (const x of [start - 1n, start, end, end + 1n]) {
        if (x < 0n || x > 0xffffffffn) continue;
        expect([x, containsV4(table, Number(x))]).toEqual([x, linear(merged, x)]);
      }
    }
    expect(containsV4(table, 0)).toBe(false);
    expect(containsV4(table, 0xffffffff)).toBe(true);
  });

  it('falls back to binary search when IPv6 rules share their top word', () => {
    const top = 0x20010db8n << 96n;
    const merged = mergeIntervals(
      Array.from({ length: 500 }, (_, i): Interval => {
        const start = top + (BigInt(i) << 70n);
        return [start, start + (1n << 64n)];
      }),
    );
    const table = buildTable(merged, 4);
    const words = (x: bigint) =>
      [96n, 64n, 32n, 0n].map((s) => Number((x >> s) & 0xffffffffn)) as [
        number,
        number,
        number,
        number,
      ];
    for (const [start, end] of merged) {
      for (const x of [start - 1n, start, end, end + 1n]) {
        expect([x, containsV6(table, ...words(x))]).toEqual([x, linear(merged, x)]);
      }
    }
  });

  it('matches nothing when empty', () => {
    expect(containsV4(buildTable([], 1), 0)).toBe(false);
    expect(containsV6(buildTable([], 4), 0, 0, 0, 0)).toBe(false);
  });
});
