import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes } from '@loyalty-edge/management-contracts';

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 256;

/** Passwords of 12+ characters that still top the breached-password lists. */
const COMMON = new Set([
  '123456789012',
  '1234567890123',
  '12345678910111',
  '1q2w3e4r5t6y',
  '1qaz2wsx3edc',
  'aaaaaaaaaaaa',
  'abcdefghijkl',
  'abc123abc123',
  'administrator',
  'changeme1234',
  'iloveyou1234',
  'letmein12345',
  'loyaltyedge1',
  'password1234',
  'password123!',
  'password12345',
  'passwordpassword',
  'qwerty123456',
  'qwertyuiop12',
  'qwertyuiopasdf',
  'welcome12345',
  'welcome123456',
  'zaq12wsxcde3',
]);

/** What is wrong with a password for this account, as short sentences (empty: acceptable). */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (Array.from(password).length < MIN_PASSWORD_LENGTH) {
    problems.push(`must be at least ${MIN_PASSWORD_LENGTH} characters`);
  }
  if (password.length > MAX_PASSWORD_LENGTH) {
    problems.push(`must be at most ${MAX_PASSWORD_LENGTH} characters`);
  }
  const lower = password.toLowerCase();
  if (lower === email.trim().toLowerCase()) problems.push('must not be the email address');
  if (COMMON.has(lower) || /^(.)\1*$/u.test(password)) {
    problems.push('is too common; choose a longer, less predictable passphrase');
  }
  return problems;
}

/** Throws a validation error naming the field when the password breaks the policy. */
export function assertPasswordPolicy(password: string, email: string, field = 'password'): void {
  const problems = passwordProblems(password, email);
  if (problems.length === 0) return;
  throw new AppError(
    'invalid',
    ManagementErrorCodes.passwordPolicy,
    `The password does not meet the policy: it ${problems.join('; it ')}`,
    { fields: problems.map((message) => ({ field, message })) },
  );
}
