import { parseClientAddress, type ClientAddress } from './client-address.js';
import { compileMatcher, type IpMatcher } from './matcher.js';

/**
 * The client's address (docs/security.md): the socket peer, unless the peer is a trusted proxy; then
 * X-Forwarded-For walked from the right, skipping trusted hops. The first untrusted hop is the
 * client. A garbled element stops the walk at the last good hop. Without trusted proxies the
 * header is never read, so a spoofed X-Forwarded-For changes nothing.
 */
export class ClientIpResolver {
  private readonly trusted: IpMatcher | undefined;
  /** Socket peers repeat (keep-alive, busy clients): parse each once. Cleared when full. */
  private readonly peers = new Map<string, ClientAddress | undefined>();

  constructor(trustedProxies: readonly string[]) {
    this.trusted = trustedProxies.length > 0 ? compileMatcher(trustedProxies) : undefined;
  }

  resolve(
    peer: string | undefined,
    forwardedFor: string | string[] | undefined,
  ): ClientAddress | undefined {
    const socket = peer === undefined ? undefined : this.peer(peer);
    if (!socket || !this.trusted?.matches(socket) || forwardedFor === undefined) return socket;
    const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',');
    let client = socket;
    for (let index = hops.length - 1; index >= 0; index -= 1) {
      const hop = parseClientAddress(hops[index] ?? '');
      if (!hop) return client;
      client = hop;
      if (!this.trusted.matches(hop)) return hop;
    }
    return client;
  }

  private peer(text: string): ClientAddress | undefined {
    if (this.peers.has(text)) return this.peers.get(text);
    if (this.peers.size >= 10_000) this.peers.clear();
    const address = parseClientAddress(text, { allowZoneId: true });
    this.peers.set(text, address);
    return address;
  }
}
