/** Socket errors of a server that is down, unreachable or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/**
 * SQLSTATEs of a server that cannot serve now: class 08 (connection exception), 57P01–57P03
 * (shutting down, crashed, not accepting connections yet) and 53300 (too many connections).
 */
const SERVER_STATES = /^(08[0-9A-Z]{3}|57P0[1-3]|53300)$/;
/**
 * node-postgres's own errors carry no code: a dropped connection, a connect timeout, and a query
 * left without an answer for `query_timeout` (a partitioned network).
 */
const DRIVER_MESSAGES =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Query read timeout)/;

/**
 * Whether an error means PostgreSQL could not be reached (refused, dropped, shutting down), as
 * opposed to a query it refused. Looks through TypeORM's `driverError` and `cause`. The edges
 * answer such errors as `unavailable` (503): the request may succeed once the database is back.
 */
export function isDatabaseUnreachable(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth += 1) {
    const { code, message, driverError, cause } = current as {
      code?: unknown;
      message?: unknown;
      driverError?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || SERVER_STATES.test(code))) {
      return true;
    }
    if (typeof message === 'string' && DRIVER_MESSAGES.test(message)) return true;
    current = driverError ?? cause;
  }
  return false;
}
