import { loadConfig } from './config.js';

describe(loadConfig.name, () => {
  it('gives every catalog API the default upstream unless overridden', () => {
    const config = loadConfig({
      UPSTREAM_DEFAULT_URL: 'http://loyalty:3201',
      UPSTREAMS: 'customer=http://crm:9000/',
    });
    expect(config.upstreams.events).toBe('http://loyalty:3201');
    expect(config.upstreams.customer).toBe('http://crm:9000');
    expect(Object.isFrozen(config.upstreams)).toBe(true);
  });

  it('normalises trusted proxies and names every bad variable', () => {
    expect(loadConfig({ TRUSTED_PROXIES: '10.1.2.3/8' }).proxy.trustedProxies).toEqual([
      '10.0.0.0/8',
    ]);
    const attempt = (): unknown =>
      loadConfig({
        TRUSTED_PROXIES: '10.0.0.0/33',
        UPSTREAMS: 'nope=http://x',
        GATEWAY_PORT: '99999',
      });
    expect(attempt).toThrow('TRUSTED_PROXIES entry 1 is invalid (prefix-out-of-range)');
    expect(attempt).toThrow('GATEWAY_PORT must be between 0 and 65535');
    expect(attempt).toThrow('UPSTREAMS names an unknown API');
  });

  it('reads the body timeout, the gateway hosts and the presigned expiry cap', () => {
    const defaults = loadConfig({});
    expect(defaults.proxy.bodyTimeoutMs).toBe(10_000);
    expect(defaults.proxy.hosts).toEqual([]);
    expect(defaults.escher.maxExpiresSeconds).toBe(86_400);
    const set = loadConfig({
      BODY_TIMEOUT_MS: '2500',
      GATEWAY_HOSTS: 'API.Loyalty.example, api.loyalty.example:8443,',
      ESCHER_MAX_EXPIRES_SECONDS: '3600',
    });
    expect(set.proxy.bodyTimeoutMs).toBe(2500);
    expect(set.proxy.hosts).toEqual(['api.loyalty.example', 'api.loyalty.example:8443']);
    expect(set.escher.maxExpiresSeconds).toBe(3600);
    const attempt = (): unknown =>
      loadConfig({
        BODY_TIMEOUT_MS: '10',
        GATEWAY_HOSTS: 'https://api.example, a b',
        ESCHER_MAX_EXPIRES_SECONDS: '0',
      });
    expect(attempt).toThrow('BODY_TIMEOUT_MS must be between 100 and 600000');
    expect(attempt).toThrow('GATEWAY_HOSTS');
    expect(attempt).toThrow('ESCHER_MAX_EXPIRES_SECONDS must be between 1 and 2592000');
  });

  it('limits 1,500 requests a minute per credential by default, synced every 100 ms', () => {
    expect(loadConfig({}).rateLimit).toEqual({ defaultPerMinute: 1500, syncIntervalMs: 100 });
    expect(loadConfig({ RATE_LIMIT_DEFAULT_PER_MINUTE: '0' }).rateLimit.defaultPerMinute).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_SYNC_MS: '5' })).toThrow('RATE_LIMIT_SYNC_MS');
  });
});
