import { defineEvent } from '@loyalty-edge/contracts';
import type { EventError, EventRequest, EventResponse } from './events.js';

/**
 * `POST /v1/async/events` body: an event. A `callback_url` is refused with 400 (no callbacks
 * are sent: poll `GET /v1/async/events/{correlation_id}`).
 */
export type AsyncEventRequest = EventRequest;

export const ASYNC_EVENT_STATUSES = ['queued', 'processing', 'processed', 'failed'] as const;
export type AsyncEventStatus = (typeof ASYNC_EVENT_STATUSES)[number];

/** `POST /v1/async/events` answer (Antavo's shape). */
export interface AsyncEventAccepted {
  readonly status: 'success';
  readonly metadata: Readonly<Record<string, never>>;
  readonly payload: { readonly correlation_id: string; readonly status: 'queued' };
}

/** `GET /v1/async/events/{correlation_id}` answer. */
export interface AsyncEventStatusResponse {
  readonly status: 'success';
  readonly metadata: Readonly<Record<string, never>>;
  readonly payload: {
    readonly correlation_id: string;
    readonly status: AsyncEventStatus;
    /** When processed: what `POST /events` would have answered. */
    readonly result?: EventResponse;
    /** When failed: the error `POST /events` would have answered. */
    readonly error?: EventError;
  };
}

/**
 * The JetStream stream of queued async events (name and subjects without the deployment
 * prefix). loyalty-api both publishes and consumes it; the row in its database is the truth,
 * the message only says which row to process.
 */
export const LOYALTY_STREAMS = {
  asyncEvents: { name: 'LOYALTY_ASYNC', subjects: 'loyalty.async-event.>' },
} as const;

export interface AsyncEventQueued {
  readonly correlation_id: string;
}

export const LoyaltyEvents = {
  asyncEventQueued: defineEvent<AsyncEventQueued>('loyalty.async-event.queued'),
} as const;
