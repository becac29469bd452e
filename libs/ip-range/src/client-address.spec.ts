import { parseClientAddress } from './client-address.js';

describe(parseClientAddress.name, () => {
  const ipv4: [string, string, number][] = [
    ['1.2.3.4', '1.2.3.4', 0x01020304],
    [' 203.0.113.7 ', '203.0.113.7', 0xcb007107],
    ['255.255.255.255', '255.255.255.255', 0xffffffff],
    ['0.0.0.0', '0.0.0.0', 0],
    ['::ffff:1.2.3.4', '1.2.3.4', 0x01020304],
    ['::FFFF:0102:0304', '1.2.3.4', 0x01020304],
    ['[::ffff:1.2.3.4]:443', '1.2.3.4', 0x01020304],
    ['1.2.3.4:8080', '1.2.3.4', 0x01020304],
    ['1.2.3.4:0', '1.2.3.4', 0x01020304],
  ];

  it.each(ipv4)('reads %j as IPv4 %s', (input, text, value) => {
    expect(parseClientAddress(input)).toEqual({ family: 4, text, value });
  });

  const ipv6: [string, string, [number, number, number, number]][] = [
    ['2001:DB8::1', '2001:db8::1', [0x20010db8, 0, 0, 1]],
    ['[2001:db8::1]', '2001:db8::1', [0x20010db8, 0, 0, 1]],
    ['[2001:db8::1]:65535', '2001:db8::1', [0x20010db8, 0, 0, 1]],
    ['::1', '::1', [0, 0, 0, 1]],
    [
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      'ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff',
      [0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff],
    ],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304', [0x0064ff9b, 0, 0, 0x01020304]],
  ];

  it.each(ipv6)('reads %j as IPv6 %s', (input, text, words) => {
    expect(parseClientAddress(input)).toEqual({ family: 6, text, words });
  });

  it('refuses a zone id unless allowed, then drops it', () => {
    expect(parseClientAddress('fe80::1%eth0')).toBeUndefined();
    expect(parseClientAddress('fe80::1%eth0', { allowZoneId: true })).toEqual({
      family: 6,
      text: 'fe80::1',
      words: [0xfe800000, 0, 0, 1],
    });
    expect(parseClientAddress('[fe80::1%2]:80', { allowZoneId: true })?.text).toBe('fe80::1');
  });

  it.each([
    '',
    'unknown',
    '_hidden',
    'example.com',
    '010.1.1.1',
    '10.1',
    '1.2.3.256',
    '1.2.3.4/24',
    '1.2.3.4, 5.6.7.8',
    '[1.2.3.4]',
    '[1.2.3.4]:80',
    '[::1]:99999',
    '[::1',
    '1.2.3.4:99999',
    '1.2.3.4:',
    '::1.2.3.4',
    '1::2::3',
    `${'1.'.repeat(60)}1`,
  ])('returns undefined for %j', (input) => {
    expect(parseClientAddress(input)).toBeUndefined();
  });

  it('never accepts a zone id on IPv4 or an odd zone', () => {
    expect(parseClientAddress('1.2.3.4%eth0', { allowZoneId: true })).toBeUndefined();
    expect(parseClientAddress('fe80::1%', { allowZoneId: true })).toBeUndefined();
    expect(parseClientAddress('fe80::1%a/b', { allowZoneId: true })).toBeUndefined();
  });
});
