export interface Backoff {
  /** Delay before the first retry. */
  readonly baseMs: number;
  /** Longest delay between two attempts. */
  readonly maxMs: number;
  /** Spread of each delay, as a fraction of it (0.2: ±20 %), so replicas do not retry in step. */
  readonly jitter: number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 50, maxMs: 1000, jitter: 0.2 };

/** The delay before retry number `attempt` (1, 2, …): doubling from `baseMs`, capped at `maxMs`. */
export function backoffDelay(
  attempt: number,
  backoff: Backoff = DEFAULT_BACKOFF,
  random: () => number = Math.random,
): number {
  const exponent = Math.min(Math.max(attempt, 1) - 1, 30);
  const delay = Math.min(backoff.baseMs * 2 ** exponent, backoff.maxMs);
  return Math.round(delay * (1 + backoff.jitter * (2 * random() - 1)));
}

/**
 * How long a publish may take on retry number `attempt` (0: the first try): short while NATS is
 * coming back (a publish sent before JetStream is ready gets no answer at all), up to `maxMs`.
 */
export function publishTimeout(attempt: number, maxMs: number): number {
  if (attempt <= 0) return maxMs;
  return Math.min(maxMs, 250 * 2 ** Math.min(attempt - 1, 10));
}
