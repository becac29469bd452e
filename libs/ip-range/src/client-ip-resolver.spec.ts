import { ClientIpResolver } from './client-ip-resolver.js';

describe(ClientIpResolver.name, () => {
  const behindProxy = new ClientIpResolver(['10.0.0.0/8', '::1']);

  it('uses the socket peer when no proxy is trusted, whatever X-Forwarded-For says', () => {
    const resolver = new ClientIpResolver([]);
    expect(resolver.resolve('203.0.113.9', '192.168.1.2')?.text).toBe('203.0.113.9');
  });

  it('ignores X-Forwarded-For from an untrusted peer', () => {
    expect(behindProxy.resolve('203.0.113.9', '192.168.1.2')?.text).toBe('203.0.113.9');
  });

  it('walks X-Forwarded-For from the right, skipping trusted hops', () => {
    expect(behindProxy.resolve('10.0.0.1', '1.1.1.1, 192.168.1.2, 10.0.0.7')?.text).toBe(
      '192.168.1.2',
    );
    expect(behindProxy.resolve('10.0.0.1', ['1.1.1.1', '192.168.1.2'])?.text).toBe('192.168.1.2');
  });

  it('normalises IPv4-mapped IPv6 peers', () => {
    expect(behindProxy.resolve('::ffff:203.0.113.9', undefined)?.text).toBe('203.0.113.9');
    expect(behindProxy.resolve('::ffff:10.1.2.3', '198.51.100.4')?.text).toBe('198.51.100.4');
  });

  it('stops at the last good hop when an element is garbled', () => {
    expect(behindProxy.resolve('10.0.0.1', '1.1.1.1, not-an-ip, 10.0.0.9')?.text).toBe('10.0.0.9');
  });

  it('returns the leftmost hop when every hop is trusted', () => {
    expect(behindProxy.resolve('::1', '10.1.1.1, 10.2.2.2')?.text).toBe('10.1.1.1');
  });
});
