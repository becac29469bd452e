import { isPublished, plannedActivation, signingKeyAt, type ScheduledKey } from './key-schedule.js';

const MINUTE = 60_000;
const old: ScheduledKey = { kid: 'old', activatesAt: 0, retiredAt: 100 * MINUTE };
const next: ScheduledKey = { kid: 'next', activatesAt: 100 * MINUTE, retiredAt: null };

describe(signingKeyAt.name, () => {
  it('is the key with the latest activation not after now', () => {
    expect(signingKeyAt([next, old], 99 * MINUTE)?.kid).toBe('old');
    expect(signingKeyAt([next, old], 100 * MINUTE)?.kid).toBe('next');
    expect(signingKeyAt([old, next], 500 * MINUTE)?.kid).toBe('next');
  });

  it('is none before any key activates', () => {
    expect(signingKeyAt([next], 0)).toBeUndefined();
    expect(signingKeyAt([], 0)).toBeUndefined();
  });
});

describe(isPublished.name, () => {
  const retain = 60 * MINUTE;

  it('publishes the next key before it activates and the active key', () => {
    expect(isPublished(next, 0, retain)).toBe(true);
    expect(isPublished(old, 50 * MINUTE, retain)).toBe(true);
  });

  it('keeps a retired key for the retention, then drops it', () => {
    expect(isPublished(old, 159 * MINUTE, retain)).toBe(true);
    expect(isPublished(old, 160 * MINUTE, retain)).toBe(false);
  });
});

describe(plannedActivation.name, () => {
  const rules = { rotateAfterMs: 1000 * MINUTE, activationDelayMs: 15 * MINUTE };

  it('activates the first key at once', () => {
    expect(plannedActivation(undefined, 5, rules)).toBe(5);
  });

  it('rotates once the newest key has signed long enough, with the activation delay', () => {
    expect(plannedActivation(next, 1099 * MINUTE, rules)).toBeUndefined();
    expect(plannedActivation(next, 1100 * MINUTE, rules)).toBe(1115 * MINUTE);
  });

  it('does not count the waiting time of a key not yet active', () => {
    expect(plannedActivation(next, 50 * MINUTE, rules)).toBeUndefined();
  });

  it('rotates when forced', () => {
    expect(plannedActivation(next, 101 * MINUTE, rules, true)).toBe(116 * MINUTE);
  });
});
