import type { Counter } from 'prom-client';
import { GatewayErrorCodes } from '@loyalty-edge/gateway-contracts';
import type { Exchange } from '../proxy/exchange.js';
import { refusal } from '../proxy/refusal.js';
import type { Replies } from '../proxy/replies.js';
import type { Quota, RateCounter } from './rate-counter.js';

/** The IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers) of a quota. */
export function addQuotaHeaders(headers: string[], quota: Quota): void {
  headers.push(
    'ratelimit-limit',
    String(quota.limit),
    'ratelimit-remaining',
    String(quota.remaining),
    'ratelimit-reset',
    String(quota.resetSeconds),
  );
}

/**
 * The rate limit at the edge: the last check before a request is forwarded, so only
 * authenticated requests that every other check admitted count (an unauthenticated flood, or
 * a leaked key used from outside the IP allow-list, spends no workspace's budget). A refusal is
 * 429 in the error envelope with `Retry-After`, recorded as a failed call (`rate_limited`).
 */
export class RateLimitGate {
  private readonly limited = new Map<string, { inc(): void }>();

  constructor(
    private readonly counter: RateCounter,
    private readonly replies: Pick<Replies, 'refuse'>,
    private readonly metric: Counter<'api'>,
  ) {}

  /** True when the request may be forwarded; otherwise it has been answered with 429. */
  admit(exchange: Exchange): boolean {
    const key = exchange.clientId ?? exchange.apiKey;
    const { workspaceId } = exchange;
    if (key === undefined || workspaceId === undefined) return true;
    const quota = this.counter.take(key, workspaceId, Date.now());
    if (quota === undefined) return true;
    exchange.quota = quota;
    if (quota.admitted) return true;
    this.count(exchange.api ?? 'none');
    const seconds = String(quota.resetSeconds);
    void this.replies.refuse(
      exchange,
      refusal({
        status: 429,
        code: GatewayErrorCodes.rateLimited,
        message: 'Rate limit exceeded',
        decision: 'rate_limited',
        reason: 'rate_limited',
        headers: {
          'retry-after': seconds,
          'ratelimit-limit': String(quota.limit),
          'ratelimit-remaining': String(quota.remaining),
          'ratelimit-reset': seconds,
        },
      }),
    );
    return false;
  }

  private count(api: string): void {
    let child = this.limited.get(api);
    if (child === undefined) {
      child = this.metric.labels(api);
      this.limited.set(api, child);
    }
    child.inc();
  }
}
