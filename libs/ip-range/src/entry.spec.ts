import { type EntryErrorReason } from './address.js';
import { InvalidIpEntryError, parseEntry, parseEntryOrThrow } from './entry.js';

describe(parseEntry.name, () => {
  // input → normalized, family, prefix length, host bits cleared
  const accepted: [string, string, 4 | 6, number, boolean][] = [
    ['192.168.1.2', '192.168.1.2', 4, 32, false],
    ['192.168.0.3/24', '192.168.0.0/24', 4, 24, true],
    ['192.168.0.0/24', '192.168.0.0/24', 4, 24, false],
    ['10.1.2.3/32', '10.1.2.3', 4, 32, false],
    ['10.1.2.3/31', '10.1.2.2/31', 4, 31, true],
    ['1.2.3.4/0', '0.0.0.0/0', 4, 0, true],
    ['0.0.0.0/0', '0.0.0.0/0', 4, 0, false],
    ['0.0.0.0', '0.0.0.0', 4, 32, false],
    ['255.255.255.255', '255.255.255.255', 4, 32, false],
    ['2001:DB8::1', '2001:db8::1', 6, 128, false],
    ['2001:0db8:0000:0000:0000:0000:0000:0001', '2001:db8::1', 6, 128, false],
    ['2001:db8::1/128', '2001:db8::1', 6, 128, false],
    ['2001:db8:abcd:12::7/48', '2001:db8:abcd::/48', 6, 48, true],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1', 6, 128, false],
    ['::', '::', 6, 128, false],
    ['::1', '::1', 6, 128, false],
    ['::/0', '::/0', 6, 0, false],
    ['ffff::1/1', '8000::/1', 6, 1, true],
    ['64:ff9b::1.2.3.4', '64:ff9b::102:304', 6, 128, false],
    // IPv4-mapped IPv6 is IPv4.
    ['::ffff:1.2.3.4', '1.2.3.4', 4, 32, false],
    ['::FFFF:0102:0304', '1.2.3.4', 4, 32, false],
    ['::ffff:1.2.3.4/120', '1.2.3.0/24', 4, 24, true],
    ['::ffff:0:0/96', '0.0.0.0/0', 4, 0, false],
    ['::ffff:1.2.3.4/128', '1.2.3.4', 4, 32, false],
    // A prefix shorter than 96 covers more than the mapped block: it stays IPv6.
    ['::ffff:1.2.3.4/64', '::/64', 6, 64, true],
  ];

  it.each(accepted)('accepts %j as %j', (input, normalized, family, prefixLength, cleared) => {
    const result = parseEntry(input);
    expect(result).toEqual({
      ok: true,
      entry: { input, normalized, family, address: normalized.split('/')[0], prefixLength },
      hostBitsCleared: cleared,
    });
  });

  it('trims surrounding whitespace and keeps the trimmed input', () => {
    const result = parseEntry('  \t10.0.0.1/8\n');
    expect(result).toMatchObject({
      ok: true,
      entry: { input: '10.0.0.1/8', normalized: '10.0.0.0/8' },
      hostBitsCleared: true,
    });
  });

  it('normalises a normalized entry to itself, without clearing anything', () => {
    for (const [, normalized] of accepted) {
      expect(parseEntry(normalized)).toMatchObject({
        ok: true,
        entry: { normalized },
        hostBitsCleared: false,
      });
    }
  });

  const refused: [string, EntryErrorReason][] = [
    ['', 'empty'],
    ['   ', 'empty'],
    ['\t\n', 'empty'],
    ['1.2.3.4 /24', 'inner-whitespace'],
    ['1.2. 3.4', 'inner-whitespace'],
    ['2001:db8::\t1', 'inner-whitespace'],
    ['1.2.3.4-1.2.3.9', 'dash-range'],
    ['1.2.3.4-9', 'dash-range'],
    ['2001:db8::1-2001:db8::9', 'dash-range'],
    ['10.0.*.*', 'wildcard'],
    ['*', 'wildcard'],
    ['example.com', 'hostname'],
    ['localhost', 'hostname'],
    ['api-1.example.com', 'hostname'],
    ['fe80::1%eth0', 'zone-id'],
    ['fe80::1%1/64', 'zone-id'],
    ['[::1]', 'brackets'],
    ['[2001:db8::]/32', 'brackets'],
    ['1.2.3.4:80', 'port'],
    ['1.2.3.4;', 'invalid-characters'],
    ['１.２.３.４', 'invalid-characters'],
    ['fe80::g', 'invalid-characters'],
    ['http://1.2.3.4', 'invalid-characters'],
    ['10.1', 'ipv4-too-few-octets'],
    ['10', 'ipv4-too-few-octets'],
    ['10.1.2', 'ipv4-too-few-octets'],
    ['4294967295', 'ipv4-too-few-octets'],
    ['1.2.3.4.5', 'ipv4-too-many-octets'],
    ['::ffff:1.2.3.4.5', 'ipv4-too-many-octets'],
    ['0x0a.1.1.1', 'octet-not-decimal'],
    ['1..2.3', 'octet-not-decimal'],
    ['1.2.3.', 'octet-not-decimal'],
    ['010.1.1.1', 'octet-leading-zero'],
    ['1.2.3.04', 'octet-leading-zero'],
    ['00.1.1.1', 'octet-leading-zero'],
    ['::ffff:1.2.3.010', 'octet-leading-zero'],
    ['256.1.1.1', 'octet-out-of-range'],
    ['1.2.3.256', 'octet-out-of-range'],
    ['1.2.3.99999999999999999999', 'octet-out-of-range'],
    ['::ffff:1.2.3.256', 'octet-out-of-range'],
    ['::1.2.3.4', 'ipv4-compatible-ipv6'],
    ['1::2::3', 'ipv6-malformed'],
    ['1:2:3:4:5:6:7:8:9', 'ipv6-malformed'],
    ['1:2:3:4:5:6:7', 'ipv6-malformed'],
    ['12345::', 'ipv6-malformed'],
    [':::', 'ipv6-malformed'],
    ['1.2.3.4::', 'ipv6-malformed'],
    ['1.2.3.4/', 'prefix-not-number'],
    ['1.2.3.4/ab', 'prefix-not-number'],
    ['1.2.3.4/-1', 'prefix-not-number'],
    ['1.2.3.4/+8', 'prefix-not-number'],
    ['1.2.3.4/08', 'prefix-not-number'],
    ['1.2.3.4/1e1', 'prefix-not-number'],
    ['1.2.3.4/24/8', 'prefix-not-number'],
    ['2001:db8::/0x20', 'prefix-not-number'],
    ['1.2.3.4/33', 'prefix-out-of-range'],
    ['1.2.3.4/99999999999999999999', 'prefix-out-of-range'],
    ['::/129', 'prefix-out-of-range'],
    ['::ffff:1.2.3.4/129', 'prefix-out-of-range'],
  ];

  it.each(refused)('refuses %j as %s', (input, reason) => {
    const result = parseEntry(input);
    expect(result).toEqual({ ok: false, reason, message: expect.any(String) as string });
  });

  it('names the offending part in the message', () => {
    const message = (text: string) => {
      const result = parseEntry(text);
      return result.ok ? '' : result.message;
    };
    expect(message('1.2.3.256')).toContain('256');
    expect(message('010.1.1.1')).toContain('"010"');
  });
});

describe(parseEntryOrThrow.name, () => {
  it('returns the entry', () => {
    expect(parseEntryOrThrow('10.0.0.0/8').normalized).toBe('10.0.0.0/8');
  });

  it('throws InvalidIpEntryError with the reason', () => {
    expect(() => parseEntryOrThrow('10.1')).toThrow(InvalidIpEntryError);
    expect(() => parseEntryOrThrow('10.1')).toThrow(
      expect.objectContaining({ reason: 'ipv4-too-few-octets' }) as Error,
    );
  });
});
