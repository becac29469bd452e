import { ApiRouter, isSafePath, UNSAFE_PATH } from './api-router.js';
import { API_CATALOG, type ApiId } from '@loyalty-edge/contracts';

const upstreams = Object.fromEntries(
  API_CATALOG.map((a) => [a.id, 'http://127.0.0.1:3201']),
) as Record<ApiId, string>;

describe(ApiRouter.name, () => {
  const router = new ApiRouter({ ...upstreams, customer: 'http://customers.internal:9000' });

  it('routes on segment boundaries', () => {
    expect(router.route('/events')?.id).toBe('events');
    expect(router.route('/events/bulk')?.id).toBe('events');
    expect(router.route('/eventsx')).toBeUndefined();
    expect(router.route('/customers/-/count')?.upstream).toEqual({
      origin: 'http://customers.internal:9000',
      basePath: '',
    });
  });

  it('decides once per API how its callers authenticate', () => {
    expect(router.route('/events')?.access).toEqual({ kind: 'keys' });
    expect(router.route('/v1/async/events/abc')?.access).toEqual({
      kind: 'bearer',
      scope: 'loyalty.async_events',
    });
    expect(router.route('/v1/auth/token')?.access).toEqual({ kind: 'token-endpoint' });
  });

  it('prefers the longest prefix', () => {
    expect(router.route('/v1/async/events/abc')?.id).toBe('async-events');
    expect(router.route('/points/preview')?.id).toBe('points-preview');
  });
});

describe(isSafePath.name, () => {
  it('refuses dot segments, encoded or not, and backslashes', () => {
    for (const path of [
      '/events/../customers',
      '/events/./x',
      '/events/%2e%2E/customers',
      '/events/..',
      '/events\\..\\customers',
      '/x%5c..',
      // reviewer finding: what an nginx or Tomcat upstream resolves after decoding
      '/customers/..%2Fevents',
      '/customers/..%2fevents',
      '/customers/%2e%2e%2fevents',
      '/customers/%252e%252e%252fevents',
      '/customers/%252e%252e/events',
      '/customers/..;/events',
      '/customers/..;jsessionid=1/events',
      '/customers/.;/x',
      '/customers/%2e%2e;/events',
      '/customers/..%3b/events',
      '/customers/a%2F..%2F..%2Fevents',
      '/customers/..%5cevents',
      '/customers/%25252e%25252e%25252f',
      '/customers/%c0%ae%c0%ae/events',
      '/customers/%u002e%u002e/events',
      '/customers/..%00/events',
      '/customers/..%20/events',
    ]) {
      expect([path, isSafePath(path)]).toEqual([path, false]);
    }
  });

  it('accepts ordinary paths, dots inside names included', () => {
    for (const path of [
      '/events',
      '/customers/a.b',
      '/customers/..x',
      '/customers/-/count',
      '/customers/a%2Fb',
      '/customers/100%25',
      '/customers/%zz',
      '/.well-known/jwks.json',
    ]) {
      expect([path, isSafePath(path)]).toEqual([path, true]);
    }
  });
});

describe('ApiRouter.routeSafely', () => {
  const router = new ApiRouter(upstreams);

  it('routes plain paths as route does, and refuses what an upstream would move', () => {
    expect(router.routeSafely('/customers/a%2Fb')).toBe(router.route('/customers/1'));
    expect(router.routeSafely('/customers/a;v=1')).toBe(router.route('/customers/1'));
    expect(router.routeSafely('/nowhere')).toBeUndefined();
    for (const path of [
      '/%65vents',
      '/points%2Fpreview',
      '/events;v=1',
      '/customers;v=1/a',
      '/customers/..%2Fevents',
    ]) {
      expect([path, router.routeSafely(path)]).toEqual([path, UNSAFE_PATH]);
    }
  });
});
