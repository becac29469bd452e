import type { ClientIpCount } from '@loyalty-edge/audit-contracts';
import type { IpFilterEntry, PreviewResult } from '@loyalty-edge/ip-filter-contracts';
import { compileMatcher, parseClientAddress } from '@loyalty-edge/ip-range';

export type PreviewImpact = Pick<
  PreviewResult,
  'filtering' | 'blocked' | 'unrecognized' | 'totals'
>;

const busiestFirst = (a: ClientIpCount, b: ClientIpCount): number =>
  b.requests - a.requests || a.ip.localeCompare(b.ip);

/**
 * Which clients a list would refuse, matched as the gateway matches (ip-range). An empty list
 * filters nothing. Addresses that do not parse are reported apart, neither allowed nor blocked.
 */
export function previewImpact(
  entries: readonly IpFilterEntry[],
  clientIps: readonly ClientIpCount[],
): PreviewImpact {
  const filtering = entries.length > 0;
  const matcher = compileMatcher(entries.map((entry) => entry.normalized));
  const blocked: ClientIpCount[] = [];
  const unrecognized: ClientIpCount[] = [];
  for (const client of clientIps) {
    const address = parseClientAddress(client.ip);
    if (!address) unrecognized.push({ ip: client.ip, requests: client.requests });
    else if (filtering && !matcher.matches(address))
      blocked.push({ ip: client.ip, requests: client.requests });
  }
  const sum = (list: readonly ClientIpCount[]): number =>
    list.reduce((total, client) => total + client.requests, 0);
  return {
    filtering,
    blocked: blocked.sort(busiestFirst),
    unrecognized: unrecognized.sort(busiestFirst),
    totals: {
      clients: clientIps.length,
      requests: sum(clientIps),
      blockedClients: blocked.length,
      blockedRequests: sum(blocked),
    },
  };
}
