import { ClientIpResolver } from './client-ip.js';

describe(ClientIpResolver.name, () => {
  it('uses the socket peer and ignores X-Forwarded-For from an untrusted peer', () => {
    const resolver = new ClientIpResolver([]);
    expect(resolver.resolve('203.0.113.9', '1.2.3.4')).toBe('203.0.113.9');
  });

  it('normalises IPv4-mapped IPv6 peers', () => {
    expect(new ClientIpResolver([]).resolve('::ffff:198.51.100.7', undefined)).toBe('198.51.100.7');
  });

  it('walks X-Forwarded-For from the right, skipping trusted hops', () => {
    const resolver = new ClientIpResolver(['10.0.0.0/8', '127.0.0.1/32']);
    expect(resolver.resolve('127.0.0.1', '6.6.6.6, 198.51.100.1, 10.1.2.3')).toBe('198.51.100.1');
    expect(resolver.resolve('127.0.0.1', ['10.0.0.1', '10.0.0.2'])).toBe('10.0.0.1');
  });

  it('stops at a malformed hop', () => {
    const resolver = new ClientIpResolver(['127.0.0.1/32']);
    expect(resolver.resolve('127.0.0.1', 'nonsense')).toBe('127.0.0.1');
  });
});
