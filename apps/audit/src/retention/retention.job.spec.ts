import { cutoffOf } from './retention.job.js';

describe(cutoffOf.name, () => {
  const now = new Date('2024-05-31T12:00:00.000Z');

  it('is an instant `days` back for timestamp columns', () => {
    expect(cutoffOf(now, 30, 'at')).toBe('2024-05-01T12:00:00.000Z');
  });

  it('is a UTC date `days` back for day columns', () => {
    expect(cutoffOf(now, 30, 'day')).toBe('2024-05-01');
  });
});
