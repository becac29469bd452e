import { ApiRouter, isSafePath } from './api-router.js';
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
    expect(router.route('/customers/-/count')?.upstream.host).toBe('customers.internal:9000');
    expect(router.route('/customers/-/count')?.upstream).toMatchObject({
      hostname: 'customers.internal',
      port: '9000',
      basePath: '',
      https: false,
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
    ]) {
      expect([path, isSafePath(path)]).toEqual([path, false]);
    }
  });

  it('accepts ordinary paths, dots inside names included', () => {
    for (const path of ['/events', '/customers/a.b', '/customers/..x', '/customers/-/count']) {
      expect([path, isSafePath(path)]).toEqual([path, true]);
    }
  });
});
