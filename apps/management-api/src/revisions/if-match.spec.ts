import { describe, expect, it } from '@jest/globals';
import { AppError } from '@loyalty-edge/errors';
import { etagOf, isStale, revisionOf, staleRevision } from './if-match.js';

function refusal(header: string | readonly string[] | undefined): AppError {
  try {
    revisionOf(header, 'the members');
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(revisionOf.name, () => {
  it('reads the one strong entity tag an ETag of this API has', () => {
    expect(revisionOf('"7"', 'x')).toBe(7);
    expect(revisionOf(' "0" ', 'x')).toBe(0);
    expect(revisionOf(['"12"'], 'x')).toBe(12);
    expect(revisionOf(etagOf(41), 'x')).toBe(41);
  });

  it('answers 428 without If-Match, or with "*" (which names no revision)', () => {
    for (const header of [undefined, '', '  ', '*', []]) {
      expect(refusal(header)).toMatchObject({ kind: 'precondition_required', code: 100428 });
    }
    expect(refusal(undefined).message).toContain('the members');
  });

  it('refuses what is no ETag of this API as invalid (400), naming the header', () => {
    for (const header of [
      '7',
      'W/"7"',
      '"7", "8"',
      '"seven"',
      '"1234567890123456"',
      ['"1"', '"2"'],
    ]) {
      expect([header, refusal(header).kind]).toEqual([header, 'invalid']);
    }
    expect(refusal('7').details?.fields).toEqual([
      { field: 'If-Match', message: 'must be one ETag such as "3"' },
    ]);
  });
});

describe(staleRevision.name, () => {
  it('is a 412 with the revision and the current state, recognised as stale', () => {
    const error = staleRevision('changed', 3, { apis: ['events'] });
    expect(error).toMatchObject({
      kind: 'precondition_failed',
      code: 100412,
      details: { revision: 3, current: { apis: ['events'] } },
    });
    expect(isStale(error)).toBe(true);
    expect(isStale(new AppError('conflict', 100409, 'taken'))).toBe(false);
    expect(isStale(new AppError('precondition_failed', 100412, 'no details'))).toBe(false);
  });
});
