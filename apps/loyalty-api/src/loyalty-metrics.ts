import { Injectable } from '@nestjs/common';
import type { Counter, Gauge } from 'prom-client';
import { AppError } from '@loyalty-edge/errors';
import { ACTION_ALIASES, LOYALTY_ACTIONS } from '@loyalty-edge/loyalty-contracts';
import { Metrics } from '@loyalty-edge/observability';

/** `ok`, the kind of a refused event (invalid, not_found, conflict), or `error`. */
export type EventOutcome = 'ok' | AppError['kind'] | 'error';

/** The app's own metrics; label values come from fixed sets only (never ids or input). */
@Injectable()
export class LoyaltyMetrics {
  private readonly events: Counter<'action' | 'outcome'>;
  private readonly queueDepth: Gauge<'status'>;

  constructor(metrics: Metrics) {
    this.events = metrics.counter('events_total', 'Loyalty events by action and outcome', [
      'action',
      'outcome',
    ]);
    this.queueDepth = metrics.gauge(
      'async_queue_depth',
      'Async events not yet processed, by status',
      ['status'],
    );
  }

  /** Counts an event under its canonical action; any other action is counted as `unknown`. */
  event(action: string, outcome: EventOutcome): void {
    const canonical = ACTION_ALIASES[action] ?? action;
    const known = (LOYALTY_ACTIONS as readonly string[]).includes(canonical)
      ? canonical
      : 'unknown';
    this.events.inc({ action: known, outcome });
  }

  eventFailed(action: string, error: unknown): void {
    this.event(action, error instanceof AppError ? error.kind : 'error');
  }

  setQueueDepth(queued: number, processing: number): void {
    this.queueDepth.set({ status: 'queued' }, queued);
    this.queueDepth.set({ status: 'processing' }, processing);
  }
}
