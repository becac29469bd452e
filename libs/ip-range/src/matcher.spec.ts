import { parseClientAddress } from './client-address.js';
import { InvalidIpEntryError, parseEntryOrThrow } from './entry.js';
import { compileMatcher } from './matcher.js';

/** Whether the compiled rules admit the client address (which must parse). */
function admits(rules: readonly string[], address: string): boolean {
  const client = parseClientAddress(address);
  if (!client) throw new Error(`test address ${address} does not parse`);
  return compileMatcher(rules).matches(client);
}

describe(compileMatcher.name, () => {
  describe('the documented example: 192.168.1.2 and 192.168.0.3/24', () => {
    const rules = ['192.168.1.2', '192.168.0.3/24'];

    it.each([
      '192.168.1.2',
      '192.168.0.0',
      '192.168.0.3',
      '192.168.0.128',
      '192.168.0.255',
      '::ffff:192.168.0.9',
      '[::ffff:192.168.1.2]:443',
    ])('admits %s', (address) => {
      expect(admits(rules, address)).toBe(true);
    });

    it.each([
      '192.168.1.0',
      '192.168.1.1',
      '192.168.1.3',
      '192.167.255.255',
      '192.168.2.0',
      '10.0.0.1',
      '0.0.0.0',
      '255.255.255.255',
      '::1',
      '::c0a8:1',
      '2001:db8::1',
    ])('refuses %s', (address) => {
      expect(admits(rules, address)).toBe(false);
    });
  });

  it('matches nothing when empty', () => {
    for (const address of ['1.2.3.4', '0.0.0.0', '::', '2001:db8::1']) {
      expect(admits([], address)).toBe(false);
    }
    expect(compileMatcher([]).intervalCount).toEqual({ ipv4: 0, ipv6: 0 });
  });

  it('takes parsed entries as well as strings', () => {
    const matcher = compileMatcher([parseEntryOrThrow('10.0.0.0/8'), '2001:db8::/32']);
    expect(matcher.matches(parseClientAddress('10.255.0.1')!)).toBe(true);
    expect(matcher.matches(parseClientAddress('2001:db8:ffff::1')!)).toBe(true);
    expect(matcher.matches(parseClientAddress('2001:db9::')!)).toBe(false);
  });

  it('throws InvalidIpEntryError for a bad string', () => {
    expect(() => compileMatcher(['10.0.0.0/8', '10.1'])).toThrow(InvalidIpEntryError);
  });

  it('compares IPv6 word by word at every word boundary', () => {
    const rules = ['2001:db8::/32', 'a::1:0:0/96', 'b::/64', 'c::1/128'];
    expect(admits(rules, '2001:db8:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(true);
    expect(admits(rules, '2001:db9::')).toBe(false);
    expect(admits(rules, '2001:db7:ffff:ffff:ffff:ffff:ffff:ffff')).toBe(false);
    expect(admits(rules, 'a::1:ffff:ffff')).toBe(true);
    expect(admits(rules, 'a::2:0:0')).toBe(false);
    expect(admits(rules, 'b::ffff:ffff:ffff:ffff')).toBe(true);
    expect(admits(rules, 'b:0:0:1::')).toBe(false);
    expect(admits(rules, 'c::1')).toBe(true);
    expect(admits(rules, 'c::')).toBe(false);
    expect(admits(rules, 'c::2')).toBe(false);
  });

  describe('IPv4 and IPv4-mapped IPv6 are one address', () => {
    it('admits an IPv4 client by a mapped rule and a mapped client by an IPv4 rule', () => {
      expect(admits(['::ffff:10.0.0.0/104'], '10.1.2.3')).toBe(true);
      expect(admits(['10.0.0.0/8'], '::ffff:10.1.2.3')).toBe(true);
    });

    it('lets an IPv6 rule covering the mapped block admit IPv4 clients', () => {
      expect(admits(['::/0'], '1.2.3.4')).toBe(true);
      expect(admits(['::/64'], '255.255.255.255')).toBe(true);
      expect(admits(['::ffff:0:0/95'], '1.2.3.4')).toBe(true);
      expect(admits(['2001:db8::/32'], '1.2.3.4')).toBe(false);
      expect(admits(['::1/128'], '0.0.0.1')).toBe(false);
    });

    it('never lets an IPv4 rule admit an IPv6 client', () => {
      expect(admits(['0.0.0.0/0'], '::1')).toBe(false);
      expect(admits(['0.0.0.0/0'], '::102:304')).toBe(false);
    });
  });

  it('merges overlapping and adjacent ranges', () => {
    const matcher = compileMatcher([
      '10.0.0.0/25',
      '10.0.0.128/25',
      '10.0.0.7',
      '10.0.1.0/24',
      '255.255.255.255',
      '255.255.255.254/31',
      '2001:db8::/33',
      '2001:db8:8000::/33',
    ]);
    expect(matcher.intervalCount).toEqual({ ipv4: 2, ipv6: 1 });
  });
});
