import type { Counter, Histogram } from 'prom-client';
import type { Metrics } from '@loyalty-edge/observability';

/** The gateway's request metrics; labels are API ids, status classes and decisions only. */
export class GatewayMetrics {
  readonly requests: Counter<'api' | 'status_class' | 'decision'>;
  readonly duration: Histogram<'api' | 'decision'>;
  readonly auditDropped: Counter;

  constructor(metrics: Metrics) {
    this.requests = metrics.counter(
      'requests_total',
      'Requests by API, status class and decision',
      ['api', 'status_class', 'decision'],
    );
    this.duration = metrics.histogram(
      'request_duration_seconds',
      'Time from request to response end',
      ['api', 'decision'],
    );
    this.auditDropped = metrics.counter(
      'audit_events_dropped_total',
      'Failed-call and audit events dropped because the buffer was full',
    );
  }
}
