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
});
