import { AppError } from '@loyalty-edge/errors';
import { assertPasswordPolicy, passwordProblems } from './password-policy.js';

describe(passwordProblems.name, () => {
  it('accepts a long, unusual passphrase', () => {
    expect(passwordProblems('violet tractor sings 42', 'a@example.com')).toEqual([]);
  });

  it.each([
    ['short', 'at least 12 characters'],
    ['Password1234', 'too common'],
    ['aaaaaaaaaaaaaaaa', 'too common'],
    ['Jane.Doe@Example.com', 'not be the email address'],
  ])('refuses %s', (password, problem) => {
    expect(passwordProblems(password, 'jane.doe@example.com').join('; ')).toContain(problem);
  });

  it('refuses more than 256 characters', () => {
    expect(passwordProblems('x'.repeat(257) + 'y', 'a@example.com')).toEqual([
      'must be at most 256 characters',
    ]);
  });
});

describe(assertPasswordPolicy.name, () => {
  it('names the field and every problem, never the password', () => {
    let error: unknown;
    try {
      assertPasswordPolicy('qwerty', 'a@example.com', 'newPassword');
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.kind).toBe('invalid');
    expect(appError.code).toBe(300422);
    expect(appError.details?.fields?.[0]?.field).toBe('newPassword');
    expect(appError.message).not.toContain('qwerty');
  });
});
