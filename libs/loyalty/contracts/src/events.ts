import type { CustomerView } from './customers.js';

/** The actions the reference backend applies; others are refused with `unknownAction`. */
export const LOYALTY_ACTIONS = [
  'opt_in',
  'opt_out',
  'profile',
  'point_add',
  'point_spend',
  'point_subtract',
] as const;
export type LoyaltyAction = (typeof LOYALTY_ACTIONS)[number];

/** Other names integrations send for the same actions (Antavo's docs use `point_sub`). */
export const ACTION_ALIASES: Readonly<Record<string, LoyaltyAction>> = {
  point_sub: 'point_subtract',
};

/** `POST /events` body (and one item of `POST /events/bulk`). */
export interface EventRequest {
  readonly customer: string;
  readonly action: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly external_id?: string;
  readonly account?: string;
}

/** An event as stored and echoed back in the response. */
export interface SubmittedEvent {
  readonly id: string;
  readonly action: LoyaltyAction;
  /** The points the event moved, for point actions. */
  readonly points?: number;
}

/** `POST /events` answer: the customer after the event, with the event applied. */
export interface EventResponse extends CustomerView {
  readonly events: readonly SubmittedEvent[];
}

export const BULK_MAX_EVENTS = 100;

/** The error of one failed event, in the envelope's inner shape. */
export interface EventError {
  readonly type: string;
  readonly code: number;
  readonly message: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type BulkEventResult =
  | { readonly index: number; readonly status: 'ok'; readonly customer: EventResponse }
  | { readonly index: number; readonly status: 'error'; readonly error: EventError };

/** `POST /events/bulk` answer: one result per event, in order. */
export interface BulkEventResponse {
  readonly results: readonly BulkEventResult[];
}
