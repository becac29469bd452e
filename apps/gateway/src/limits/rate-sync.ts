import { randomBytes } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import type { Msg, Subscription } from '@nats-io/transport-node';
import {
  RATE_COUNTS_SUBJECT,
  type RateCount,
  type RateCountsMessage,
} from '@loyalty-edge/gateway-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import type { RateCounter } from './rate-counter.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Counts per message: about 50 bytes each, far below NATS's 1 MiB default payload. */
const MAX_COUNTS_PER_MESSAGE = 5000;
const MAX_KEY_LENGTH = 256;

/** A peer's message, checked field by field: whatever else arrives is ignored. */
function parse(data: Uint8Array): RateCountsMessage | undefined {
  let value: unknown;
  try {
    value = JSON.parse(decoder.decode(data));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { replica, tick, counts, more } = value as Record<string, unknown>;
  if (
    typeof replica !== 'string' ||
    replica.length > 64 ||
    !Number.isSafeInteger(tick) ||
    !Array.isArray(counts)
  ) {
    return undefined;
  }
  return {
    replica,
    tick: tick as number,
    counts: counts as unknown[] as RateCount[],
    ...(more === true ? { more } : {}),
  };
}

function isCount(count: unknown): count is RateCount {
  if (!Array.isArray(count) || count.length !== 3) return false;
  const [key, win, admitted] = count as unknown[];
  return (
    typeof key === 'string' &&
    key.length > 0 &&
    key.length <= MAX_KEY_LENGTH &&
    Number.isSafeInteger(win) &&
    Number.isSafeInteger(admitted) &&
    (admitted as number) >= 0
  );
}

export interface RateSyncOptions {
  readonly intervalMs: number;
  /** A peer not heard from for this long no longer shares the budget (default 10 intervals, ≥ 1 s). */
  readonly peerTimeoutMs?: number;
  readonly onPublishError?: () => void;
  readonly now?: () => number;
}

/**
 * Shares a RateCounter's counts between the gateway replicas over core NATS: on every tick
 * (multiples of the interval on the wall clock, so every replica ticks at about the same moment)
 * one message with the cumulative counts that changed, an empty one as a heartbeat otherwise.
 * Every replica's messages are added to the counter as they arrive, and the counter is told when
 * every live peer's counts of the current tick are in. Nothing here is on the request path. When
 * NATS is away, ticks publish nothing, the peers are forgotten, and each replica decides from its
 * own counts (plus what it had heard).
 */
export class RateSync {
  private readonly logger = new Logger(RateSync.name);
  readonly replica = randomBytes(9).toString('base64url');
  /** Peer replica → when it was last heard from, and the last tick it has sent all counts of. */
  private readonly peers = new Map<string, { heard: number; tick: number }>();
  private readonly subject: string;
  private readonly echo: Uint8Array;
  private readonly peerTimeoutMs: number;
  private readonly now: () => number;
  private subscription: Subscription | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** This replica's latest tick (epoch ms, a multiple of the interval). */
  private currentTick = 0;
  private publishFailed = false;
  /** NATS was away at the last tick: the next tick announces every count again. */
  private wasAway = false;

  constructor(
    private readonly link: NatsLink,
    private readonly counter: RateCounter,
    private readonly options: RateSyncOptions,
  ) {
    this.subject = link.subject(RATE_COUNTS_SUBJECT);
    this.echo = encoder.encode(`{"replica":${JSON.stringify(this.replica)},`);
    this.peerTimeoutMs = options.peerTimeoutMs ?? Math.max(1000, 10 * options.intervalMs);
    this.now = options.now ?? Date.now;
  }

  /** Live peers (not counting this replica). */
  get peerCount(): number {
    return this.peers.size;
  }

  /**
   * Subscribes and starts ticking; resolves after two intervals, so the replica knows its peers
   * (and their counts) before it serves.
   */
  async start(): Promise<void> {
    this.subscription = this.link.connection.subscribe(this.subject, {
      callback: (error, message) => {
        if (error === null) this.receive(message);
      },
    });
    this.schedule();
    await delay(2 * this.options.intervalMs + 10);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.subscription?.unsubscribe();
    this.subscription = undefined;
  }

  /**
   * Publishes what changed since the last tick, re-counts the live peers and waits for their
   * counts of this tick. `tick` is its nominal time (the timer may fire late).
   */
  tick(tick = Math.floor(this.now() / this.options.intervalMs) * this.options.intervalMs): void {
    const now = this.now();
    const away = !this.link.connected;
    if (this.wasAway && !away) this.counter.announceAll();
    this.wasAway = away;
    const counts = this.counter.drain();
    for (let start = 0; start === 0 || start < counts.length; start += MAX_COUNTS_PER_MESSAGE) {
      const end = start + MAX_COUNTS_PER_MESSAGE;
      const message: RateCountsMessage = {
        replica: this.replica,
        tick,
        counts: counts.slice(start, end),
        ...(end < counts.length ? { more: true as const } : {}),
      };
      this.publish(encoder.encode(JSON.stringify(message)));
    }
    for (const [peer, { heard }] of this.peers) {
      if (now - heard > this.peerTimeoutMs) this.peers.delete(peer);
    }
    this.counter.replicas = 1 + this.peers.size;
    this.counter.sweep(now);
    this.currentTick = tick;
    // until then each share also covers the last tick (a silent peer: until it is forgotten)
    this.counter.awaiting = !this.allHeard();
  }

  /** A peer's message (this replica's own come back too: skipped before parsing). */
  receive(message: Pick<Msg, 'data'>): void {
    const { data } = message;
    if (this.isEcho(data)) return;
    const parsed = parse(data);
    if (parsed === undefined || parsed.replica === this.replica) return;
    const now = this.now();
    let peer = this.peers.get(parsed.replica);
    if (peer === undefined) {
      peer = { heard: now, tick: 0 };
      this.peers.set(parsed.replica, peer);
      // counted at once: a new replica takes its share from the next request on
      this.counter.replicas = 1 + this.peers.size;
    }
    peer.heard = now;
    for (const count of parsed.counts) {
      if (isCount(count)) this.counter.merge(parsed.replica, count[0], count[1], count[2], now);
    }
    if (parsed.more !== true && parsed.tick > peer.tick) peer.tick = parsed.tick;
    if (this.counter.awaiting && this.allHeard()) this.counter.awaiting = false;
  }

  /** Whether every live peer has sent its counts of this replica's latest tick. */
  private allHeard(): boolean {
    for (const { tick } of this.peers.values()) if (tick < this.currentTick) return false;
    return true;
  }

  private isEcho(data: Uint8Array): boolean {
    if (data.length < this.echo.length) return false;
    for (let i = 0; i < this.echo.length; i += 1) if (data[i] !== this.echo[i]) return false;
    return true;
  }

  private publish(data: Uint8Array): void {
    // while NATS is away nothing is queued: the figures are cumulative, the next ones say it all
    if (!this.link.connected) return;
    try {
      this.link.connection.publish(this.subject, data);
      this.publishFailed = false;
    } catch (error) {
      this.options.onPublishError?.();
      if (!this.publishFailed) {
        this.publishFailed = true;
        this.logger.warn({
          msg: 'rate-limit counts not published; replicas decide from their own counts',
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
  }

  private schedule(): void {
    const now = Date.now();
    const { intervalMs } = this.options;
    const next = (Math.floor(now / intervalMs) + 1) * intervalMs;
    this.timer = setTimeout(() => {
      this.tick(next);
      if (this.timer !== undefined) this.schedule();
    }, next - now);
    this.timer.unref();
  }
}
