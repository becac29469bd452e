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
  payloadTooLarge: 100413,
  rateLimited: 100429,
  internal: 100500,
  badGateway: 100502,
  unavailable: 100503,
  gatewayTimeout: 100504,
  /** The code for an HTTP status: 100000 + status. */
  byStatus: (status: number): number => 100000 + status,
} as const;
