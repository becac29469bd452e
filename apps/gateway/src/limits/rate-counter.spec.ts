import fc from 'fast-check';
import { RateCounter } from './rate-counter.js';

const MINUTE = 60_000;
/** The start of a minute window, well inside the epoch. */
const T0 = 29_000_000 * MINUTE;

function counter(limit = 10, limits: Record<string, number> = {}): RateCounter {
  return new RateCounter({ limitOf: (workspaceId) => limits[workspaceId] ?? limit });
}

/** Takes `count` requests of `key` at `now`; returns how many were admitted. */
function takeMany(
  rate: RateCounter,
  count: number,
  now: number,
  key = 'lek_a',
  workspaceId = 'ws',
): number {
  let admitted = 0;
  for (let i = 0; i < count; i += 1) {
    if (rate.take(key, workspaceId, now)?.admitted === true) admitted += 1;
  }
  return admitted;
}

/**
 * N replicas' counters: `tick` sends every replica's counts, `deliver` hands them to the others
 * (a tick delivers what is still in flight first: messages arrive within an interval).
 */
function replicas(
  n: number,
  limit: number,
): { counters: RateCounter[]; tick: (deliverNow?: boolean) => void; deliver: () => void } {
  const counters = Array.from({ length: n }, () => counter(limit));
  for (const c of counters) c.replicas = n;
  let inFlight: ReturnType<RateCounter['drain']>[] = [];
  const deliver = (): void => {
    inFlight.forEach((counts, from) => {
      counters.forEach((c, to) => {
        if (to !== from) for (const [key, win, k] of counts) c.merge(`r${from}`, key, win, k, T0);
      });
    });
    inFlight = [];
    for (const c of counters) c.awaiting = false;
  };
  const tick = (deliverNow = true): void => {
    deliver();
    inFlight = counters.map((c) => c.drain());
    for (const c of counters) c.awaiting = n > 1;
    if (deliverNow) deliver();
  };
  return { counters, tick, deliver };
}

describe(RateCounter.name, () => {
  it('admits up to the limit in a minute and refuses the rest with the time until it frees', () => {
    const rate = counter(10);
    const now = T0 + 30_000;
    expect(rate.take('lek_a', 'ws', now)).toEqual({
      admitted: true,
      limit: 10,
      remaining: 9,
      resetSeconds: 30,
    });
    expect(takeMany(rate, 20, now)).toBe(9);
    // the 10 of this window weigh until 10 × (1 − f) ≤ 9 in the next one: f = 0.1, 36 s from now
    expect(rate.take('lek_a', 'ws', now)).toEqual({
      admitted: false,
      limit: 10,
      remaining: 0,
      resetSeconds: 36,
    });
    expect(takeMany(rate, 5, now, 'lek_other')).toBe(5);
  });

  it('weighs the previous minute by the part of it still inside the sliding minute', () => {
    const rate = counter(10);
    expect(takeMany(rate, 10, T0 + 59_000)).toBe(10);
    // a quarter into the next window: 10 × 0.75 = 7.5 used, so 2 more
    expect(takeMany(rate, 10, T0 + MINUTE + 15_000)).toBe(2);
    const refused = rate.take('lek_a', 'ws', T0 + MINUTE + 15_000);
    // 10 × (1 − f) + 2 ≤ 9 once f ≥ 0.3: at 18 s, 3 s from now
    expect(refused).toMatchObject({ admitted: false, remaining: 0, resetSeconds: 3 });
    expect(takeMany(rate, 10, T0 + 3 * MINUTE)).toBe(10);
  });

  it('has no limit at 0 and re-reads limits when told they changed', () => {
    const limits: Record<string, number> = { off: 0, small: 2 };
    const rate = counter(10, limits);
    expect(rate.take('lek_off', 'off', T0)).toBeUndefined();
    expect(takeMany(rate, 5, T0, 'lek_small', 'small')).toBe(2);
    limits.small = 4;
    expect(takeMany(rate, 5, T0, 'lek_small', 'small')).toBe(0);
    rate.invalidate();
    expect(takeMany(rate, 5, T0, 'lek_small', 'small')).toBe(2);
  });

  it('adds the peers’ cumulative counts once, whatever the order or repetition', () => {
    const rate = counter(10);
    rate.merge('r2', 'lek_a', Math.floor(T0 / MINUTE), 4, T0);
    rate.merge('r2', 'lek_a', Math.floor(T0 / MINUTE), 3, T0);
    rate.merge('r2', 'lek_a', Math.floor(T0 / MINUTE), 4, T0);
    rate.merge('r3', 'lek_a', Math.floor(T0 / MINUTE), 2, T0);
    rate.merge('r3', 'lek_a', Math.floor(T0 / MINUTE) - 5, 100, T0);
    expect(takeMany(rate, 10, T0)).toBe(4);
  });

  it('announces cumulative counts, the closing figure of the previous window included', () => {
    const rate = counter(100);
    const win = Math.floor(T0 / MINUTE);
    takeMany(rate, 3, T0 + 1000);
    expect(rate.drain()).toEqual([['lek_a', win, 3]]);
    expect(rate.drain()).toEqual([]);
    takeMany(rate, 2, T0 + 59_999);
    takeMany(rate, 1, T0 + MINUTE);
    expect(rate.drain()).toEqual([
      ['lek_a', win, 5],
      ['lek_a', win + 1, 1],
    ]);
    rate.announceAll();
    expect(rate.drain()).toEqual([
      ['lek_a', win, 5],
      ['lek_a', win + 1, 1],
    ]);
  });

  it('lets a replica spend only its share of what was left between two ticks', () => {
    const { counters, tick } = replicas(2, 100);
    const [a, b] = counters as [RateCounter, RateCounter];
    expect(takeMany(a, 100, T0)).toBe(50);
    tick();
    expect(takeMany(a, 100, T0)).toBe(25);
    // a refusal for the share alone says: try again in a second
    expect(a.take('lek_a', 'ws', T0)).toMatchObject({ admitted: false, resetSeconds: 1 });
    expect(takeMany(b, 100, T0)).toBe(25);
    tick();
    expect(takeMany(a, 10, T0) + takeMany(b, 10, T0)).toBe(0);
    expect(b.take('lek_a', 'ws', T0)).toMatchObject({ admitted: false, resetSeconds: 61 });
  });

  it("counts what it admitted in the last tick too until the peers' counts of it arrive", () => {
    const { counters, tick, deliver } = replicas(2, 100);
    const [a, b] = counters as [RateCounter, RateCounter];
    expect(takeMany(a, 30, T0)).toBe(30);
    expect(takeMany(b, 30, T0)).toBe(30);
    tick(false);
    // a knows its own 30 + u and guesses b's unheard as 30 + u: (30 + u) + (30 + u) + 1 ≤ 100
    expect(takeMany(a, 100, T0)).toBe(20);
    expect(takeMany(b, 100, T0)).toBe(20);
    deliver();
    // each knows 50 + 30 and guesses 20 unheard: at the limit, which is exactly the total
    expect(takeMany(a, 100, T0) + takeMany(b, 100, T0)).toBe(0);
    tick();
    expect(takeMany(a, 100, T0) + takeMany(b, 100, T0)).toBe(0);
  });

  it('gives one replica the whole budget over a few ticks when the others are idle', () => {
    const { counters, tick } = replicas(3, 1500);
    let admitted = 0;
    for (let i = 0; i < 40; i += 1) {
      admitted += takeMany(counters[0] as RateCounter, 500, T0);
      tick();
    }
    expect(admitted).toBe(1500);
  });

  it('admits at most limit + replicas − 1 in a window across replicas that sync at ticks', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 60 }),
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 3 }),
            fc.constantFrom('tick' as const, 'deliver' as const),
          ),
          { maxLength: 400 },
        ),
        (n, limit, steps) => {
          const { counters, tick, deliver } = replicas(n, limit);
          let admitted = 0;
          for (const step of steps) {
            if (step === 'tick') tick(false);
            else if (step === 'deliver') deliver();
            else admitted += takeMany(counters[step % n] as RateCounter, 1, T0);
          }
          const requests = steps.filter((s) => typeof s === 'number').length;
          expect(admitted).toBeLessThanOrEqual(Math.min(requests, limit + n - 1));
          if (n === 1) expect(admitted).toBe(Math.min(requests, limit));
        },
      ),
    );
  });

  it('drops credentials idle for a whole window, once per window', () => {
    const rate = counter(10);
    takeMany(rate, 1, T0, 'lek_old');
    rate.merge('r2', 'lek_remote', Math.floor(T0 / MINUTE), 1, T0);
    takeMany(rate, 1, T0 + MINUTE, 'lek_recent');
    rate.sweep(T0 + MINUTE);
    expect(rate.size).toBe(3);
    rate.sweep(T0 + 2 * MINUTE);
    expect(rate.size).toBe(1);
  });
});
