import { AppError } from '@loyalty-edge/errors';
import { MAX_POINTS_PER_EVENT, parseEvent, resolveAction } from './event-data.js';

function failure(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected an AppError');
}

describe(resolveAction.name, () => {
  it('knows the actions and their aliases', () => {
    expect(resolveAction('point_add')).toBe('point_add');
    expect(resolveAction('point_sub')).toBe('point_subtract');
  });

  it('refuses an unknown action with code unknownAction', () => {
    const error = failure(() => resolveAction('checkout'));
    expect(error).toMatchObject({ kind: 'invalid', code: 160220, message: 'Unknown action' });
  });
});

describe(parseEvent.name, () => {
  it('reads point events, accepting decimal strings from form-encoded clients', () => {
    expect(parseEvent('point_add', { points: 325, reason: 'welcome' })).toEqual({
      action: 'point_add',
      points: 325,
      reason: 'welcome',
    });
    expect(parseEvent('point_spend', { points: '40' })).toEqual({
      action: 'point_spend',
      points: 40,
    });
  });

  it.each([0, -5, 1.5, 'ten', null, MAX_POINTS_PER_EVENT + 1, undefined])(
    'refuses points %p',
    (points) => {
      const error = failure(() => parseEvent('point_add', { points }));
      expect(error.code).toBe(160221);
      expect(error.details?.fields).toEqual([
        { field: 'data.points', message: expect.stringContaining('integer') as string },
      ]);
    },
  );

  it('reads profile fields, trims them, lets null clear one, and ignores custom attributes', () => {
    const event = parseEvent('opt_in', {
      first_name: ' Ann ',
      last_name: null,
      email: 'ann@example.com',
      birth_date: '1990-02-28',
      language: 'en-GB',
      favourite_colour: 'green',
    });
    expect(event).toEqual({
      action: 'opt_in',
      profile: {
        firstName: 'Ann',
        lastName: null,
        email: 'ann@example.com',
        birthDate: '1990-02-28',
        language: 'en-GB',
      },
    });
  });

  it('lists every bad field at once', () => {
    const error = failure(() =>
      parseEvent('profile', {
        first_name: 7,
        email: 'not-an-email',
        birth_date: '1990-02-30',
        language: 'English',
      }),
    );
    expect(error.details?.fields?.map((problem) => problem.field)).toEqual([
      'data.first_name',
      'data.email',
      'data.birth_date',
      'data.language',
    ]);
  });

  it('refuses a birth date in the future', () => {
    const nextYear = new Date().getUTCFullYear() + 1;
    const error = failure(() => parseEvent('opt_in', { birth_date: `${nextYear}-01-01` }));
    expect(error.details?.fields?.[0]?.field).toBe('data.birth_date');
  });

  it('needs no data for opt_out', () => {
    expect(parseEvent('opt_out', {})).toEqual({ action: 'opt_out' });
  });
});
