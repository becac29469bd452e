import { backoffDelay, publishTimeout } from './backoff.js';

describe(backoffDelay.name, () => {
  const exact = { baseMs: 50, maxMs: 1000, jitter: 0 };

  it('doubles from the base and stops at the cap', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 20].map((attempt) => backoffDelay(attempt, exact))).toEqual([
      50, 100, 200, 400, 800, 1000, 1000, 1000,
    ]);
  });

  it('spreads each delay by the jitter, both ways', () => {
    const settings = { ...exact, jitter: 0.2 };
    expect(backoffDelay(3, settings, () => 0)).toBe(160);
    expect(backoffDelay(3, settings, () => 1)).toBe(240);
    expect(backoffDelay(3, settings, () => 0.5)).toBe(200);
  });

  it('treats attempt 0 or below as the first retry', () => {
    expect(backoffDelay(0, exact)).toBe(50);
    expect(backoffDelay(-3, exact)).toBe(50);
  });
});

describe(publishTimeout.name, () => {
  it('allows the full timeout first, then short ones growing back to it', () => {
    expect([0, 1, 2, 3, 4, 9].map((attempt) => publishTimeout(attempt, 2000))).toEqual([
      2000, 250, 500, 1000, 2000, 2000,
    ]);
  });
});
