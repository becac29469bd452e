import type { Counter, Histogram } from 'prom-client';

type Children = readonly [{ inc(): void }, { observe(value: number): void }];
import type { Metrics } from '@loyalty-edge/observability';

/** The gateway's request metrics; labels are API ids, status classes and decisions only. */
export class GatewayMetrics {
  readonly requests: Counter<'api' | 'status_class' | 'decision'>;
  readonly duration: Histogram<'api' | 'decision'>;
  readonly auditDropped: Counter;
  /** Answers of /v1/auth/token: `issued`/`none`, or `error` and the OAuth2 error name. */
  readonly tokenRequests: Counter<'outcome' | 'error'>;
  /** Labelled children by label values: prom-client hashes label objects on every call. */
  private readonly children = new Map<string, Children>();

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
    this.tokenRequests = metrics.counter(
      'token_requests_total',
      'Token endpoint answers by outcome and OAuth2 error',
      ['outcome', 'error'],
    );
  }

  record(api: string, statusClass: string, decision: string, seconds: number): void {
    const key = `${api} ${statusClass} ${decision}`;
    let children = this.children.get(key);
    if (children === undefined) {
      children = [
        this.requests.labels(api, statusClass, decision),
        this.duration.labels(api, decision),
      ];
      this.children.set(key, children);
    }
    children[0].inc();
    children[1].observe(seconds);
  }
}
