import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { Metrics } from '@loyalty-edge/observability';
import type { GatewayConfig } from '../config.js';
import type { PolicyStore } from '../policies/policy-store.js';
import type { Replies } from '../proxy/replies.js';
import { RateCounter } from './rate-counter.js';
import { RateLimitGate } from './rate-limit-gate.js';
import { RateSync } from './rate-sync.js';

/** A workspace's requests per minute per credential: its own figure, else the default. */
export function limitOf(
  store: Pick<PolicyStore, 'workspaces'>,
  fallback: number,
  workspaceId: string,
): number {
  const perMinute = store.workspaces.get(workspaceId)?.rateLimit?.requestsPerMinute;
  return Number.isSafeInteger(perMinute) && (perMinute as number) >= 0
    ? (perMinute as number)
    : fallback;
}

/**
 * The gateway's rate limits, wired: the counter (limits read from the `workspaces` records and
 * re-read when one changes), its sync with the other replicas, the gate on the request path, and
 * their metrics.
 */
export class RateLimits {
  private constructor(
    readonly gate: RateLimitGate,
    private readonly sync: RateSync,
  ) {}

  static async start(parts: {
    readonly config: GatewayConfig['rateLimit'];
    readonly link: NatsLink;
    readonly store: PolicyStore;
    readonly metrics: Metrics;
    readonly replies: Pick<Replies, 'refuse'>;
  }): Promise<RateLimits> {
    const { config, store, metrics } = parts;
    const counter = new RateCounter({
      limitOf: (workspaceId) => limitOf(store, config.defaultPerMinute, workspaceId),
    });
    store.onChange((bucket) => {
      if (bucket === KV_BUCKETS.workspaces) counter.invalidate();
    });
    const syncErrors = metrics.counter(
      'rate_limit_sync_errors_total',
      'Rate-limit count messages that could not be published to the other replicas',
    );
    const sync = new RateSync(parts.link, counter, {
      intervalMs: config.syncIntervalMs,
      onPublishError: () => syncErrors.inc(),
    });
    metrics.gauge(
      'rate_limit_peers',
      'Other gateway replicas this one shares rate-limit counts with (heard from lately)',
      [],
      (gauge) => gauge.set(sync.peerCount),
    );
    metrics.gauge(
      'rate_limit_credentials',
      'API keys and auth clients with a request count in the current or previous minute',
      [],
      (gauge) => gauge.set(counter.size),
    );
    const limited = metrics.counter(
      'rate_limited_total',
      'Requests refused with 429 by the per-credential rate limit',
      ['api'],
    );
    await sync.start();
    return new RateLimits(new RateLimitGate(counter, parts.replies, limited), sync);
  }

  stop(): void {
    this.sync.stop();
  }
}
