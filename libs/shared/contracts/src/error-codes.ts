/**
 * Numeric error codes shared by every service. Service-specific codes live in that service's
 * contracts; the table of all codes is in docs/errors.md.
 */
export const ErrorCodes = {
  validation: 100400,
  unauthenticated: 100401,
  forbidden: 100403,
  notFound: 100404,
  conflict: 100409,
  /** A stale `If-Match`: the resource changed since it was read (412). */
  preconditionFailed: 100412,
  /** A write without `If-Match` where one is required (428). */
  preconditionRequired: 100428,
  payloadTooLarge: 100413,
  rateLimited: 100429,
  internal: 100500,
  badGateway: 100502,
  unavailable: 100503,
  gatewayTimeout: 100504,
  /** The code for an HTTP status: 100000 + status. */
  byStatus: (status: number): number => 100000 + status,
} as const;

/**
 * `details` of a `precondition_failed` error (412): the current revision and the current state,
 * shaped as a read of the resource returns it, so the caller can show it and re-apply.
 */
export interface StaleRevisionDetails<T> {
  readonly revision: number;
  readonly current: T;
}
