import { describe, expect, it } from '@jest/globals';
import { ApiError } from '../api/client.js';
import { formProblems, humanFieldMessage } from './field-message-rules.js';

describe(humanFieldMessage.name, () => {
  it.each([
    ['email', 'email must be longer than or equal to 1 characters', 'This field is required.'],
    ['name', 'name must be longer than or equal to 3 characters', 'Use at least 3 characters.'],
    ['name', 'name must be shorter than or equal to 100 characters', 'Use at most 100 characters.'],
    ['email', 'email must be an email', 'Enter an email address, such as name@example.com.'],
    [
      'role',
      'role must be one of the following values: admin, viewer',
      'Choose one of: admin, viewer.',
    ],
    ['expiresAt', 'expiresAt must be a valid ISO 8601 date string', 'Enter a valid date and time.'],
    ['actor.type', 'type should not be empty', 'This field is required.'],
    ['password', 'must be at least 12 characters', 'Must be at least 12 characters.'],
    [
      'id',
      'id must be lowercase letters, digits and dashes, 3 to 40 characters',
      'Must be lowercase letters, digits and dashes, 3 to 40 characters.',
    ],
  ])('says %s: "%s" as "%s"', (field, message, expected) => {
    expect(humanFieldMessage(field, message)).toBe(expected);
  });

  it('never keeps the developer wording of a length rule', () => {
    const said = humanFieldMessage('email', 'email must be longer than or equal to 1 characters');
    expect(said).not.toContain('longer than or equal');
  });
});

describe(formProblems.name, () => {
  const refusal = new ApiError(400, 'Validation failed', 100400, [
    { field: 'email', message: 'email must be an email' },
    { field: 'email', message: 'email must be longer than or equal to 1 characters' },
  ]);

  it('puts every problem at its field and shows no "Validation failed" banner', () => {
    const problems = formProblems(refusal, { email: 'Email' });
    expect(problems.banner).toBeNull();
    expect(problems.field('email')).toBe(
      'Enter an email address, such as name@example.com. This field is required.',
    );
    expect(problems.field('role')).toBeUndefined();
  });

  it('shows the problems of fields the form does not have above it, in words', () => {
    const problems = formProblems(refusal, {});
    expect(problems.banner).toBe(
      'email: Enter an email address, such as name@example.com. email: This field is required.',
    );
  });

  it('says a policy rule once: at its field, not again in a banner', () => {
    const policy = new ApiError(
      400,
      'The password does not meet the policy: it must be at least 12 characters',
      300422,
      [{ field: 'password', message: 'must be at least 12 characters' }],
    );
    const problems = formProblems(policy, { password: 'New password' });
    expect(problems.banner).toBeNull();
    expect(problems.field('password')).toBe('Must be at least 12 characters.');
  });

  it('keeps the message of a refusal without fields', () => {
    const locked = new ApiError(429, 'Too many attempts: try again in 15 minutes', 300423);
    expect(formProblems(locked, { password: 'Password' }).banner).toBe(locked.message);
    expect(formProblems(undefined, {}).banner).toBeNull();
  });
});
