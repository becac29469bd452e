/**
 * Gateway to gateway (core NATS, no JetStream): every replica publishes what it admitted per
 * credential once per sync interval, and every replica subscribes, so each decides locally from
 * its own counts plus the others' (docs/architecture.md, "Rate limits"). Only the `gateway` NATS
 * user may publish or subscribe (deploy/nats/permissions.mjs).
 */
export const RATE_COUNTS_SUBJECT = 'gateway.rate-limit.counted';

/**
 * `[credential, window, admitted]`: an API key or auth client id, the index of the minute window
 * (`floor(epoch ms / 60000)`), and how many requests of that credential this replica has admitted
 * in that window so far. Cumulative, not a delta: a lost or repeated message does no lasting harm.
 */
export type RateCount = readonly [credential: string, window: number, admitted: number];

/** One message per sync interval (more only past a size bound); an empty one is a heartbeat. */
export interface RateCountsMessage {
  /** The sending replica: random per process. */
  readonly replica: string;
  /**
   * The tick it was sent at: epoch ms, a multiple of the sync interval (the same instants on
   * every replica). The counts are as of that tick.
   */
  readonly tick: number;
  readonly counts: readonly RateCount[];
  /** More messages of the same tick follow (a tick's counts past the size of one message). */
  readonly more?: true;
}
