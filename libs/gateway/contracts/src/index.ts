/**
 * Error codes of the gateway's own answers (docs/errors.md). The caller sees the code and a
 * generic message; the failed-call log keeps the precise `reason`. The Bearer and token
 * endpoint codes (2200xx) are TokenErrorCodes and OAUTH_ERRORS of the token contracts.
 */
export const GatewayErrorCodes = {
  missingCredentials: 110400,
  invalidPath: 110402,
  invalidCredentials: 110401,
  ipNotAllowed: 110403,
  unknownEndpoint: 110404,
  signatureRequired: 110405,
  invalidSignature: 110406,
  payloadTooLarge: 110413,
  rateLimited: 110429,
  badGateway: 110502,
  unavailable: 110503,
  gatewayTimeout: 110504,
} as const;

/** Why a request was decided as it was: a metric label and the failed-call `reason`. */
export type GatewayDecision =
  | 'allowed'
  | 'unknown_endpoint'
  | 'unauthenticated'
  | 'ip_denied'
  | 'signature_required'
  | 'signature_invalid'
  | 'bearer_invalid'
  | 'insufficient_scope'
  | 'module_disabled'
  | 'method_not_allowed'
  | 'token_refused'
  | 'token_service_unavailable'
  | 'too_large'
  | 'upstream_error'
  | 'upstream_timeout'
  | 'upstream_unreachable'
  | 'rate_limited';

export { RATE_COUNTS_SUBJECT, type RateCount, type RateCountsMessage } from './rate-limit.js';
