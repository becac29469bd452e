import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

const DURATION_BUCKETS = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
];

/**
 * One registry per app: default process metrics plus request and RPC duration histograms.
 * Metric names are `<app>_<thing>_<unit>`; label values are never keys, IPs or users.
 */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration: Histogram<'method' | 'route' | 'status_class'>;
  readonly rpcDuration: Histogram<'subject' | 'outcome'>;

  constructor(readonly app: string) {
    collectDefaultMetrics({ register: this.registry });
    this.httpDuration = this.histogram('http_request_duration_seconds', 'HTTP request duration', [
      'method',
      'route',
      'status_class',
    ]);
    this.rpcDuration = this.histogram('rpc_duration_seconds', 'NATS request handling duration', [
      'subject',
      'outcome',
    ]);
  }

  private get prefix(): string {
    return this.app.replace(/-/g, '_');
  }

  histogram<L extends string>(name: string, help: string, labelNames: readonly L[]): Histogram<L> {
    return new Histogram({
      name: `${this.prefix}_${name}`,
      help,
      labelNames,
      buckets: DURATION_BUCKETS,
      registers: [this.registry],
    });
  }

  counter<L extends string>(name: string, help: string, labelNames: readonly L[] = []): Counter<L> {
    return new Counter({
      name: `${this.prefix}_${name}`,
      help,
      labelNames,
      registers: [this.registry],
    });
  }

  gauge<L extends string>(
    name: string,
    help: string,
    labelNames: readonly L[] = [],
    collect?: (gauge: Gauge<L>) => void,
  ): Gauge<L> {
    return new Gauge({
      name: `${this.prefix}_${name}`,
      help,
      labelNames,
      registers: [this.registry],
      ...(collect === undefined
        ? {}
        : {
            collect(this: Gauge<L>) {
              collect(this);
            },
          }),
    });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`;
}
