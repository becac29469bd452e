/** A customer as the Customer and Events APIs return it (snake_case, like Antavo's). */
export interface CustomerView {
  /** The integrator's own customer id. */
  readonly id: string;
  readonly status: CustomerStatus;
  readonly first_name: string | null;
  readonly last_name: string | null;
  readonly email: string | null;
  /** `YYYY-MM-DD`. */
  readonly birth_date: string | null;
  readonly language: string | null;
  /** All points ever earned, less points subtracted (reversals). */
  readonly score: number;
  /** Points spent on rewards. */
  readonly spent: number;
  /** Points the customer can spend now. */
  readonly spendable: number;
  /** ISO 8601. */
  readonly created_at: string;
  readonly updated_at: string;
}

export const CUSTOMER_STATUSES = ['active', 'opted_out'] as const;
export type CustomerStatus = (typeof CUSTOMER_STATUSES)[number];

/** `GET /customers`: one page, ordered by id; pass `next_cursor` back as `cursor`. */
export interface CustomerPage {
  readonly data: readonly CustomerView[];
  readonly next_cursor: string | null;
}

/** `GET /customers/-/count`. */
export interface CustomerCount {
  readonly count: number;
}

export const CUSTOMER_PAGE = { defaultLimit: 20, maxLimit: 100 } as const;

/** One applied event of a customer, as `GET /customers/{id}/events` lists it. */
export interface CustomerEventView {
  readonly id: string;
  readonly action: string;
  /** The points the event moved, for point actions. */
  readonly points: number | null;
  /** The event's data as sent (custom attributes included). */
  readonly data: Readonly<Record<string, unknown>>;
  readonly external_id: string | null;
  /** How it arrived: `api` (POST /events), `bulk` or `async`. */
  readonly source: string;
  readonly created_at: string;
}

/** `GET /customers/{id}/events`: the customer's latest events, newest first. */
export interface CustomerEvents {
  readonly data: readonly CustomerEventView[];
}

export const CUSTOMER_EVENTS_PAGE = { defaultLimit: 10, maxLimit: 100 } as const;
