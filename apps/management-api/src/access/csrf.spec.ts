import { AppError } from '@loyalty-edge/errors';
import type { Principal } from './principal.js';
import { checkCsrf, safeEqual } from './csrf.js';

const session: Principal = {
  adminId: 'a',
  email: 'a@example.com',
  operator: false,
  via: 'session',
  csrfToken: 'token-1',
};

describe(checkCsrf.name, () => {
  it('lets safe methods through without a token', () => {
    expect(() => checkCsrf({ method: 'GET', headers: {} }, session)).not.toThrow();
  });

  it('refuses a change without the right token', () => {
    for (const headers of [{}, { 'x-csrf-token': 'token-2' }, { 'x-csrf-token': '' }]) {
      expect(() => checkCsrf({ method: 'PUT', headers }, session)).toThrow(AppError);
    }
  });

  it('accepts the session token', () => {
    const headers = { 'x-csrf-token': 'token-1' };
    expect(() => checkCsrf({ method: 'DELETE', headers }, session)).not.toThrow();
  });

  it('compares strings of any length', () => {
    expect(safeEqual('a', 'a')).toBe(true);
    expect(safeEqual('a', 'ab')).toBe(false);
  });
});
