import type { Counter, Gauge } from 'prom-client';
import type { Metrics } from '@loyalty-edge/observability';

/** Pending changes of a bucket as of the last poll. */
export interface BucketBacklog {
  readonly depth: number;
  /** When the oldest pending change was written (ms since the epoch). */
  readonly since: number;
}

export interface OutboxMetrics {
  readonly published: Counter<'bucket'>;
  readonly failures: Counter<'bucket'>;
  readonly repaired: Counter<'bucket'>;
  readonly depth: Gauge<'bucket'>;
}

/** `<app>_kv_outbox_*`, labelled by bucket (never by key). */
export function outboxMetrics(
  metrics: Metrics,
  backlog: ReadonlyMap<string, BucketBacklog>,
): OutboxMetrics {
  metrics.gauge(
    'kv_outbox_oldest_pending_seconds',
    'Age of the oldest KV change not yet in NATS',
    ['bucket'],
    (gauge) => {
      for (const [bucket, { depth, since }] of backlog) {
        gauge.set({ bucket }, depth === 0 ? 0 : (Date.now() - since) / 1000);
      }
    },
  );
  return {
    published: metrics.counter('kv_outbox_published_total', 'KV changes written to NATS', [
      'bucket',
    ]),
    failures: metrics.counter(
      'kv_outbox_publish_failures_total',
      'KV writes to NATS that failed (retried with back-off)',
      ['bucket'],
    ),
    repaired: metrics.counter(
      'kv_outbox_repaired_total',
      'Keys the reconcile found different in the bucket and queued again',
      ['bucket'],
    ),
    depth: metrics.gauge('kv_outbox_depth', 'KV changes committed, not yet in NATS', ['bucket']),
  };
}
