import type { LoggerService } from '@nestjs/common';
import { isApiId, type ApiId } from '@loyalty-edge/contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import { compileMatcher, type IpMatcher } from '@loyalty-edge/ip-range';

/** Matches nothing: what an API gets when its pushed list cannot be compiled (fail closed). */
const DENY_ALL: IpMatcher = { matches: () => false, intervalCount: { ipv4: 0, ipv6: 0 } };

/** Compiles a workspace's pushed lists once, when they change, never per request. */
export function compileIpPolicy(
  record: IpFilterRecord,
  logger: LoggerService,
): ReadonlyMap<ApiId, IpMatcher> {
  const policy = new Map<ApiId, IpMatcher>();
  for (const [api, entries] of Object.entries(record.apis)) {
    if (!isApiId(api) || !Array.isArray(entries) || entries.length === 0) continue;
    try {
      policy.set(api, compileMatcher(entries));
    } catch {
      logger.error({
        msg: 'unusable IP list: the API refuses every client until it is fixed',
        api,
      });
      policy.set(api, DENY_ALL);
    }
  }
  return policy;
}
