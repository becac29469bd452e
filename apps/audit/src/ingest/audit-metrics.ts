import { Injectable } from '@nestjs/common';
import { Gauge, Histogram, type Counter } from 'prom-client';
import { Metrics } from '@loyalty-edge/observability';
import { RECORD_TYPES, type RecordType, type Rejection } from './audit-record.js';
import { CUT_FIELDS, type CutField } from './fit-event.js';
import type { IngestNotes } from './parse-event.js';

/**
 * The audit service's own metrics. Labels are event types, rejection reasons and table names
 * only: never a workspace, IP or id.
 */
@Injectable()
export class AuditMetrics implements IngestNotes {
  readonly written: Counter<'type'>;
  readonly rejected: Counter<'reason'>;
  /** Failed-call fields cut to fit (the event was stored); zero while gateways cut first. */
  readonly truncated: Counter<'field'>;
  readonly sanitisedStrings: Counter<'type'>;
  readonly writeFailures: Counter;
  /** Consumers closed and opened again because they fell silent with events waiting. */
  readonly consumerReopened: Counter;
  readonly batchSize: Histogram;
  readonly batchSeconds: Histogram;
  readonly pending: Gauge;
  /** Reads the consumer's backlog at scrape time; set by the consumer once it runs. */
  pendingReader: () => Promise<number | undefined> = () => Promise.resolve(undefined);

  constructor(metrics: Metrics) {
    this.written = metrics.counter('events_written_total', 'Audit events stored (new rows)', [
      'type',
    ]);
    for (const type of RECORD_TYPES) this.written.inc({ type } satisfies { type: RecordType }, 0);
    this.rejected = metrics.counter(
      'events_rejected_total',
      'Audit messages refused for good (bad JSON, invalid, unknown subject, unstorable)',
      ['reason'],
    );
    this.truncated = metrics.counter(
      'fields_truncated_total',
      'Failed-call fields cut to fit the limits instead of refusing the event',
      ['field'],
    );
    for (const field of CUT_FIELDS) this.truncated.inc({ field }, 0);
    this.sanitisedStrings = metrics.counter(
      'strings_sanitised_total',
      'Strings of stored events whose NUL characters or unpaired surrogates were replaced',
      ['type'],
    );
    for (const type of RECORD_TYPES) this.sanitisedStrings.inc({ type }, 0);
    this.writeFailures = metrics.counter(
      'batch_write_failures_total',
      'Batches whose transaction failed (retried event by event)',
    );
    this.consumerReopened = metrics.counter(
      'consumer_reopened_total',
      'Times the stream consumer fell silent with events waiting and was opened again',
    );
    this.batchSize = new Histogram({
      name: `${prefixOf(metrics)}_batch_size`,
      help: 'Messages per batch written to PostgreSQL',
      buckets: [1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000],
      registers: [metrics.registry],
    });
    this.batchSeconds = metrics.histogram(
      'batch_write_duration_seconds',
      'Time to write one batch',
      [],
    );
    const read = (): Promise<number | undefined> => this.pendingReader();
    this.pending = new Gauge({
      name: `${prefixOf(metrics)}_consumer_pending_messages`,
      help: 'Events in the stream not yet stored: undelivered plus delivered and unacknowledged',
      registers: [metrics.registry],
      async collect() {
        const pending = await read().catch(() => undefined);
        if (pending !== undefined) this.set(pending);
      },
    });
  }

  reject(reason: Rejection, count = 1): void {
    this.rejected.inc({ reason }, count);
  }

  cut(field: CutField): void {
    this.truncated.inc({ field });
  }

  sanitised(type: RecordType, strings: number): void {
    this.sanitisedStrings.inc({ type }, strings);
  }
}

function prefixOf(metrics: Metrics): string {
  return metrics.app.replace(/-/g, '_');
}
