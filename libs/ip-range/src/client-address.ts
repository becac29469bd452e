// Addresses of clients: the socket peer or an X-Forwarded-For element. Parsed once per
// request into numbers, so matching does no string work.
import ipaddr from 'ipaddr.js';
import {
  type Words,
  formatAddress,
  ipv4ToNumber,
  ipv6ToWords,
  parseAddressText,
  unmap,
} from './address.js';

/** A client address, normalised (IPv4-mapped IPv6 is IPv4) and ready for `IpMatcher`. */
export type ClientAddress =
  | {
      readonly family: 4;
      /** Canonical text, e.g. for logs (never for metric labels). */
      readonly text: string;
      /** The address as an unsigned 32-bit number. */
      readonly value: number;
    }
  | {
      readonly family: 6;
      readonly text: string;
      /** Four unsigned 32-bit words, most significant first. */
      readonly words: Words;
    };

export interface ClientAddressOptions {
  /**
   * Accept and drop a zone id (`fe80::1%eth0`, as Node reports link-local peers). Off by
   * default. Entries never accept one.
   */
  readonly allowZoneId?: boolean;
}

// `[v6]` or `[v6]:port`
const BRACKETED = /^\[([^\]]+)\](?::([0-9]{1,5}))?$/;
// `a.b.c.d:port`
const IPV4_WITH_PORT = /^([0-9.]+):([0-9]{1,5})$/;
const ZONE_ID = /^[0-9a-z_.-]+$/i;
// Longer than `[ffff:…:255.255.255.255%zone]:65535` with a generous zone: not an address.
const MAX_LENGTH = 100;

/**
 * Parses a client address: `1.2.3.4`, `::ffff:1.2.3.4`, `2001:db8::1`, `[2001:db8::1]`,
 * `[2001:db8::1]:443`, `1.2.3.4:8080`. Returns undefined for anything else, including the
 * forms refused for entries (short or zero-padded IPv4, hostnames, `unknown`).
 */
export function parseClientAddress(
  text: string,
  options: ClientAddressOptions = {},
): ClientAddress | undefined {
  let rest = text.trim();
  if (rest.length > MAX_LENGTH) return undefined;
  const bracketed = BRACKETED.exec(rest);
  const withPort = bracketed ?? IPV4_WITH_PORT.exec(rest);
  if (withPort) {
    const [, host = '', port] = withPort;
    if (port !== undefined && Number(port) > 65535) return undefined;
    // Brackets are for IPv6 only.
    if (bracketed && !host.includes(':')) return undefined;
    rest = host;
  }

  const percent = rest.indexOf('%');
  if (percent >= 0) {
    const zone = rest.slice(percent + 1);
    if (options.allowZoneId !== true || !rest.includes(':') || !ZONE_ID.test(zone)) {
      return undefined;
    }
    rest = rest.slice(0, percent);
  }

  const parsed = parseAddressText(rest);
  if (!parsed.ok) return undefined;
  const address = unmap(parsed.address);
  return address instanceof ipaddr.IPv6
    ? { family: 6, text: formatAddress(address), words: ipv6ToWords(address) }
    : { family: 4, text: formatAddress(address), value: ipv4ToNumber(address) };
}
