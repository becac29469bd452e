// Strict address parsing shared by entries (admin input) and client addresses (socket peer,
// X-Forwarded-For). ipaddr.js does the actual parsing; the checks in front of it refuse the
// notations it tolerates but an allow-list must not: short and octal/hex IPv4 forms
// (`10.1`, `010.1.1.1`, `0x0a.1.1.1`), the deprecated `::a.b.c.d` form (which ipaddr.js
// silently turns into the *mapped* address `::ffff:a.b.c.d`), zone ids, brackets and ports.
import ipaddr from 'ipaddr.js';

/** Why a piece of text is not an acceptable address or CIDR range. */
export type EntryErrorReason =
  | 'empty'
  | 'inner-whitespace'
  | 'dash-range'
  | 'wildcard'
  | 'hostname'
  | 'zone-id'
  | 'brackets'
  | 'port'
  | 'invalid-characters'
  | 'ipv4-too-few-octets'
  | 'ipv4-too-many-octets'
  | 'octet-not-decimal'
  | 'octet-leading-zero'
  | 'octet-out-of-range'
  | 'ipv4-compatible-ipv6'
  | 'ipv6-malformed'
  | 'prefix-not-number'
  | 'prefix-out-of-range';

export interface ParseFailure {
  readonly ok: false;
  readonly reason: EntryErrorReason;
  /** Human-readable explanation for the admin (contains only the offending text). */
  readonly message: string;
}

export type IpAddress = ipaddr.IPv4 | ipaddr.IPv6;
type AddressResult = { readonly ok: true; readonly address: IpAddress } | ParseFailure;

/** Four uint32 words of an IPv6 address, most significant first. */
export type Words = readonly [number, number, number, number];

export function fail(reason: EntryErrorReason, message: string): ParseFailure {
  return { ok: false, reason, message };
}

const DIGITS_AND_DOTS = /^[0-9.]+$/;
const IPV6_CHARACTERS = /^[0-9a-f:.]+$/i;
const HEX_OCTET = /(^|\.)0x/i;
// A letter somewhere and only hostname characters: `example.com`, `localhost`, `api-1.local`.
const HOSTNAME = /^(?=.*[a-z])[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/i;
// (A dot is checked separately: `[0-9.]*\.[0-9.]*` would backtrack quadratically.)
const IPV4_WITH_PORT = /^[0-9.]+:[0-9]*$/;
// `::a.b.c.d` with no other group: the deprecated "IPv4-compatible" form.
const IPV4_COMPATIBLE = /^::[0-9.]+$/;

/**
 * Parses one address (no prefix, no surrounding whitespace). Refuses every notation that is
 * ambiguous or not an address, with the most specific reason it can tell.
 */
export function parseAddressText(text: string): AddressResult {
  if (text.includes('%')) {
    return fail('zone-id', `"${text}" has a zone id (%…); zone ids are not allowed here`);
  }
  if (text.startsWith('[')) {
    return fail('brackets', `"${text}" is bracketed; write the bare address`);
  }
  if (IPV4_WITH_PORT.test(text) && text.includes('.')) {
    return fail('port', `"${text}" has a port; write the address without it`);
  }
  if (text.includes(':')) return parseIPv6(text);
  if (DIGITS_AND_DOTS.test(text)) return parseIPv4(text);
  if (HEX_OCTET.test(text)) {
    return fail('octet-not-decimal', `"${text}" has a hexadecimal octet; use decimal octets`);
  }
  if (HOSTNAME.test(text)) {
    return fail('hostname', `"${text}" looks like a hostname; only IP addresses and ranges`);
  }
  return fail('invalid-characters', `"${text}" is not an IP address`);
}

/** Dotted-quad IPv4 only: exactly four decimal octets 0-255 without leading zeros. */
function parseIPv4(text: string): AddressResult {
  const refused = checkIPv4(text);
  if (refused) return refused;
  // The checks leave only what ipaddr.js reads unambiguously; it does the parsing.
  return parseWith(() => ipaddr.IPv4.parse(text), 'octet-not-decimal', text);
}

function checkIPv4(text: string): ParseFailure | undefined {
  const octets = text.split('.');
  if (octets.length < 4) {
    return fail(
      'ipv4-too-few-octets',
      `"${text}" has ${octets.length} octet(s); IPv4 needs four (short forms like 10.1 are not accepted)`,
    );
  }
  if (octets.length > 4) {
    return fail('ipv4-too-many-octets', `"${text}" has ${octets.length} octets; IPv4 has four`);
  }
  for (const octet of octets) {
    if (octet === '') return fail('octet-not-decimal', `"${text}" has an empty octet`);
    // `010` is 8 to some parsers and 10 to others: refuse rather than guess.
    if (octet.length > 1 && octet.startsWith('0')) {
      return fail('octet-leading-zero', `octet "${octet}" of "${text}" has a leading zero`);
    }
    if (Number(octet) > 255) {
      return fail('octet-out-of-range', `octet ${octet} of "${text}" is over 255`);
    }
  }
  return undefined;
}

function parseIPv6(text: string): AddressResult {
  if (!IPV6_CHARACTERS.test(text)) {
    return fail('invalid-characters', `"${text}" has characters not allowed in an IP address`);
  }
  // An embedded IPv4 tail (`::ffff:1.2.3.4`) obeys the IPv4 octet rules.
  const lastColon = text.lastIndexOf(':');
  const tail = text.slice(lastColon + 1);
  if (text.slice(0, lastColon).includes('.')) {
    return fail('ipv6-malformed', `"${text}" is not a valid IPv6 address`);
  }
  if (tail.includes('.')) {
    const refused = checkIPv4(tail);
    if (refused) return refused;
    if (IPV4_COMPATIBLE.test(text)) {
      return fail(
        'ipv4-compatible-ipv6',
        `"${text}" uses the deprecated ::a.b.c.d form; write ${tail} or ::ffff:${tail}`,
      );
    }
  }
  return parseWith(() => ipaddr.IPv6.parse(text), 'ipv6-malformed', text);
}

/** Runs an ipaddr.js parser, turning its exception into a failure. */
function parseWith(parse: () => IpAddress, reason: EntryErrorReason, text: string): AddressResult {
  try {
    return { ok: true, address: parse() };
  } catch {
    return fail(reason, `"${text}" is not a valid IP address`);
  }
}

/** `::ffff:a.b.c.d` becomes `a.b.c.d`; anything else is returned as is. */
export function unmap(address: IpAddress): IpAddress {
  return address instanceof ipaddr.IPv6 && address.isIPv4MappedAddress()
    ? address.toIPv4Address()
    : address;
}

/** Canonical text: dotted decimal, or RFC 5952 (compressed, lowercase) for IPv6. */
export function formatAddress(address: IpAddress): string {
  return address instanceof ipaddr.IPv6 ? address.toRFC5952String() : address.toString();
}

/** An IPv4 address as an unsigned 32-bit number. */
export function ipv4ToNumber(address: ipaddr.IPv4): number {
  const [a = 0, b = 0, c = 0, d = 0] = address.octets;
  return a * 0x1000000 + ((b << 16) | (c << 8) | d);
}

/** An IPv6 address as four unsigned 32-bit words. */
export function ipv6ToWords(address: ipaddr.IPv6): Words {
  const p = address.parts;
  const word = (i: number): number => (p[i] ?? 0) * 0x10000 + (p[i + 1] ?? 0);
  return [word(0), word(2), word(4), word(6)];
}
