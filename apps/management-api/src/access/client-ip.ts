import ipaddr from 'ipaddr.js';

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parse(text: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  try {
    // `process` turns IPv4-mapped IPv6 (::ffff:1.2.3.4) into IPv4
    return ipaddr.process(text.trim());
  } catch {
    return undefined;
  }
}

/**
 * The client's address (docs/security.md): the socket peer, unless the peer is a trusted proxy; then
 * X-Forwarded-For is walked from the right, skipping trusted hops. XFF is never believed from
 * an untrusted peer.
 */
export class ClientIpResolver {
  private readonly trusted: readonly Range[];

  constructor(cidrs: readonly string[]) {
    this.trusted = cidrs.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  resolve(peer: string | undefined, forwardedFor: string | string[] | undefined): string {
    const peerAddress = parse(peer ?? '');
    if (!peerAddress) return peer ?? 'unknown';
    let client = peerAddress;
    if (!this.isTrusted(client) || forwardedFor === undefined) return client.toString();
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
      .split(',')
      .map((hop) => hop.trim())
      .filter((hop) => hop !== '');
    for (const hop of hops.reverse()) {
      const address = parse(hop);
      if (!address) break;
      client = address;
      if (!this.isTrusted(address)) break;
    }
    return client.toString();
  }

  private isTrusted(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    return this.trusted.some(
      ([range, bits]) => range.kind() === address.kind() && address.match(range, bits),
    );
  }
}
