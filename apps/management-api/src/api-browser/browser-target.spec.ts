import { AppError } from '@loyalty-edge/errors';
import { browserTarget, MAX_BROWSER_BODY_BYTES, type BrowserCall } from './browser-target.js';

const call = (overrides: Partial<BrowserCall>): BrowserCall => ({
  method: 'GET',
  path: '/customers',
  query: {},
  ...overrides,
});

function fields(overrides: Partial<BrowserCall>): string[] {
  try {
    browserTarget(call(overrides));
  } catch (error) {
    if (error instanceof AppError) return error.details?.fields?.map((f) => f.field) ?? [];
    throw error;
  }
  throw new Error('expected a refusal');
}

describe(browserTarget.name, () => {
  it('builds the Events and Customer API calls', () => {
    expect(
      browserTarget(
        call({ method: 'POST', path: '/events', body: { customer: 'c1', action: 'opt_in' } }),
      ),
    ).toEqual({
      method: 'POST',
      pathAndQuery: '/events',
      body: '{"customer":"c1","action":"opt_in"}',
    });
    expect(
      browserTarget(call({ query: { limit: '5', cursor: 'abc', status: '' } })).pathAndQuery,
    ).toBe('/customers?limit=5&cursor=abc');
    expect(
      browserTarget(call({ path: '/customers/-/count', query: { status: 'active' } })).pathAndQuery,
    ).toBe('/customers/-/count?status=active');
  });

  it("builds a customer's events with a limit", () => {
    expect(
      browserTarget(call({ path: '/customers/c 1/events', query: { limit: '5' } })).pathAndQuery,
    ).toBe('/customers/c%201/events?limit=5');
  });

  it('percent-encodes a customer id', () => {
    expect(browserTarget(call({ path: '/customers/ügyfél 42?x#y' })).pathAndQuery).toBe(
      '/customers/%C3%BCgyf%C3%A9l%2042%3Fx%23y',
    );
  });

  it.each([
    '/v1/async/events',
    '/v1/auth/token',
    '/customers/a/b',
    '/customers/..',
    '/customers/.',
    '/customers/./events',
    '/customers/a/events/x',
    '/events/../customers',
    'http://169.254.169.254/latest',
    '//evil.example/events',
    '/events?api_key=x',
    '/rewards',
    '',
  ])('refuses the path %p', (path) => {
    expect(fields({ path })).toEqual(['path']);
  });

  it('refuses a method, query names, or bodies the route does not take', () => {
    expect(fields({ method: 'POST' })).toEqual(['method']);
    expect(fields({ query: { api_key: 'lek_x', limit: '1' } })).toEqual(['query.api_key']);
    expect(fields({ body: { a: 1 } })).toEqual(['body']);
    expect(fields({ method: 'POST', path: '/events', body: 'text' })).toEqual(['body']);
    expect(fields({ method: 'POST', path: '/events' })).toEqual(['body']);
  });

  it('refuses a body over the limit', () => {
    const body = {
      customer: 'c1',
      action: 'profile',
      data: { note: 'x'.repeat(MAX_BROWSER_BODY_BYTES) },
    };
    expect(fields({ method: 'POST', path: '/events', body })).toEqual(['body']);
  });
});
