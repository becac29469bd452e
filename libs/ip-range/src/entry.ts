// Allow-list entries as an admin types them: one address or one CIDR range per entry.
import ipaddr from 'ipaddr.js';
import {
  type EntryErrorReason,
  type IpAddress,
  type ParseFailure,
  fail,
  formatAddress,
  parseAddressText,
  unmap,
} from './address.js';

export type IpFamily = 4 | 6;

/** A validated allow-list entry. Plain data: safe to store, send and show. */
export interface IpEntry {
  /** What the admin typed, without surrounding whitespace. */
  readonly input: string;
  /**
   * Canonical form: the network address (host bits cleared; IPv4-mapped IPv6 as IPv4; IPv6
   * compressed and lowercase), followed by `/prefix` unless the entry is a single address
   * (`/32` and `/128` are written as the bare address).
   */
  readonly normalized: string;
  readonly family: IpFamily;
  /** The network address in canonical text form. */
  readonly address: string;
  readonly prefixLength: number;
}

export type ParseEntryResult =
  | {
      readonly ok: true;
      readonly entry: IpEntry;
      /** True when the input had host bits set (`192.168.0.3/24` → `192.168.0.0/24`). */
      readonly hostBitsCleared: boolean;
    }
  | ParseFailure;

/** Thrown by `compileMatcher` for an entry string that does not parse. */
export class InvalidIpEntryError extends Error {
  constructor(
    readonly reason: EntryErrorReason,
    message: string,
  ) {
    super(message);
    this.name = 'InvalidIpEntryError';
  }
}

const WHITESPACE = /\s/;
const PREFIX = /^(0|[1-9][0-9]*)$/;
// `1.2.3.4-1.2.3.9`, `1.2.3.4-9`, `2001:db8::1-2001:db8::9`: an address-looking left side.
const DASH_RANGE = /^([0-9.]+|[0-9a-f.]*:[0-9a-f:.]*)-/i;

/** Parses one allow-list entry: an IPv4/IPv6 address or CIDR range. Never throws. */
export function parseEntry(text: string): ParseEntryResult {
  const input = text.trim();
  if (input === '') return fail('empty', 'The entry is empty');
  if (WHITESPACE.test(input)) {
    return fail('inner-whitespace', `"${input}" contains whitespace`);
  }
  if (input.includes('*')) {
    return fail('wildcard', `"${input}": wildcards are not supported; use CIDR, e.g. 10.0.0.0/16`);
  }
  if (DASH_RANGE.test(input)) {
    return fail('dash-range', `"${input}": a-b ranges are not supported; use CIDR ranges`);
  }

  const slash = input.indexOf('/');
  const parsed = parseAddressText(slash < 0 ? input : input.slice(0, slash));
  if (!parsed.ok) return parsed;
  let address: IpAddress = parsed.address;
  const maxPrefix = address instanceof ipaddr.IPv6 ? 128 : 32;

  let prefixLength = maxPrefix;
  if (slash >= 0) {
    const prefixText = input.slice(slash + 1);
    if (!PREFIX.test(prefixText)) {
      return fail('prefix-not-number', `"${input}": the prefix length must be a plain number`);
    }
    prefixLength = Number(prefixText);
    if (prefixLength > maxPrefix) {
      return fail('prefix-out-of-range', `"${input}": the prefix length is over ${maxPrefix}`);
    }
  }

  // `::ffff:a.b.c.d/p` with p >= 96 lies wholly in the mapped block: it is the IPv4 range
  // a.b.c.d/(p-96). A shorter prefix covers more than IPv4 and stays IPv6.
  const unmapped = unmap(address);
  if (unmapped !== address && prefixLength >= 96) {
    address = unmapped;
    prefixLength -= 96;
  }

  const network = networkAddress(address, prefixLength);
  const family: IpFamily = network instanceof ipaddr.IPv6 ? 6 : 4;
  const addressText = formatAddress(network);
  const single = prefixLength === (family === 6 ? 128 : 32);
  return {
    ok: true,
    entry: {
      input,
      normalized: single ? addressText : `${addressText}/${prefixLength}`,
      family,
      address: addressText,
      prefixLength,
    },
    hostBitsCleared: addressText !== formatAddress(address),
  };
}

/** Parses an entry or throws `InvalidIpEntryError`. */
export function parseEntryOrThrow(text: string): IpEntry {
  const result = parseEntry(text);
  if (!result.ok) throw new InvalidIpEntryError(result.reason, result.message);
  return result.entry;
}

/** The address with every bit after `prefixLength` cleared. */
function networkAddress(address: IpAddress, prefixLength: number): IpAddress {
  const bytes = address.toByteArray().map((byte, i) => {
    const keep = Math.min(8, Math.max(0, prefixLength - i * 8));
    return byte & ((0xff << (8 - keep)) & 0xff);
  });
  return ipaddr.fromByteArray(bytes);
}
