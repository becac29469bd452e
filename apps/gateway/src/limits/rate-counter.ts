import type { RateCount } from '@loyalty-edge/gateway-contracts';

/** What a request gets from the limiter: admitted or not, and the figures for its headers. */
export interface Quota {
  readonly admitted: boolean;
  readonly limit: number;
  /** Requests left in the sliding minute as this replica sees it; 0 on a refusal. */
  readonly remaining: number;
  /**
   * Seconds: for a refusal, until a request would be admitted again (`Retry-After`); for an
   * admitted request, until the current minute window ends.
   */
  readonly resetSeconds: number;
}

/** One credential's counts; `cur` fields are for window `win`, `prev` ones for `win - 1`. */
interface Entry {
  readonly key: string;
  win: number;
  own: number;
  ownPrev: number;
  /** Admitted here since tick `tick`, and in the tick before it (the share rule below). */
  sinceTick: number;
  lastTick: number;
  tick: number;
  /** The other replicas' counts: their sum, and each one's latest cumulative figure. */
  remote: number;
  remotePrev: number;
  peers: Map<string, number> | undefined;
  peersPrev: Map<string, number> | undefined;
  /** In the list of entries to announce at the next tick. */
  dirty: boolean;
  /** The previous window's own count changed after it was last announced. */
  prevDirty: boolean;
  limit: number;
  generation: number;
}

export interface RateCounterOptions {
  /** The limit of a workspace's credentials per window (0: none); re-read after `invalidate`. */
  readonly limitOf: (workspaceId: string) => number;
  readonly windowMs?: number;
}

/** Raises `map[peer]` to `count` (cumulative figures only grow) and returns the increase. */
function raise(map: Map<string, number>, peer: string, count: number): number {
  const before = map.get(peer) ?? 0;
  if (count <= before) return 0;
  map.set(peer, count);
  return count - before;
}

/**
 * Requests per credential (API key or auth client id; their prefixes `lek_` and `lec_` keep them
 * apart) in a sliding minute, shared by every gateway replica without a round trip per request.
 *
 * Windows are fixed minutes of the wall clock (the same on every replica), and the sliding
 * minute is the usual estimate `previous × (1 − elapsed fraction) + current`. Each replica counts
 * what it admits, announces its cumulative counts every sync tick (RateSync), and adds the other
 * replicas' latest figures. To keep N replicas from each spending the whole budget before they
 * hear of one another, a replica may admit only its 1/N share (rounded up) of what was left at
 * the last tick it has heard every peer's counts of: with `used` the estimate (own counts
 * included) and `u` what this replica admitted since that tick, a request passes when
 * `used + (N − 1)·u + 1 ≤ limit`, as if each other replica had admitted as many as this one
 * meanwhile. Until the peers' messages of the current tick arrive (`awaiting`), `u` reaches back
 * to the tick before. docs/architecture.md derives the error bound from this.
 */
export class RateCounter {
  private readonly entries = new Map<string, Entry>();
  private dirty: Entry[] = [];
  private generation = 0;
  private sweptWindow = 0;
  private readonly windowMs: number;
  /** Ticks so far (one per `drain`). */
  private ticks = 0;
  /** Replicas sharing each budget: this one and the peers heard from lately (RateSync sets it). */
  replicas = 1;
  /** Set from a tick until every live peer's message of that tick has arrived (RateSync). */
  awaiting = false;

  constructor(private readonly options: RateCounterOptions) {
    this.windowMs = options.windowMs ?? 60_000;
  }

  /** Credentials with counts in the current or the previous window. */
  get size(): number {
    return this.entries.size;
  }

  /** Limits may have changed (a workspace record): each credential re-reads its own on next use. */
  invalidate(): void {
    this.generation += 1;
  }

  /**
   * Counts a request of `key` (authenticated, of `workspaceId`) if it is within the limit.
   * undefined: the workspace has no limit. The hot path: one Map lookup and a few operations.
   */
  take(key: string, workspaceId: string, now: number): Quota | undefined {
    const win = Math.floor(now / this.windowMs);
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = this.create(key, win);
      this.entries.set(key, entry);
    }
    if (entry.generation !== this.generation) {
      entry.limit = this.options.limitOf(workspaceId);
      entry.generation = this.generation;
    }
    const { limit } = entry;
    if (limit <= 0) return undefined;
    if (win > entry.win) this.roll(entry, win);
    const windowEnd = (entry.win + 1) * this.windowMs;
    // a peer's clock ahead of ours may have opened the next window already: count it in full
    const weight = win < entry.win ? 1 : (windowEnd - now) / this.windowMs;
    const used = (entry.ownPrev + entry.remotePrev) * weight + entry.own + entry.remote;
    if (entry.tick !== this.ticks) {
      entry.lastTick = entry.tick === this.ticks - 1 ? entry.sinceTick : 0;
      entry.sinceTick = 0;
      entry.tick = this.ticks;
    }
    // this replica's share: as if each of the others had admitted as many as it, unheard of
    const unheard = this.awaiting ? entry.sinceTick + entry.lastTick : entry.sinceTick;
    const within = used + (this.replicas - 1) * unheard + 1 <= limit;
    if (!entry.dirty) {
      // a refusal announces the count again too, so a replica that just started learns it
      entry.dirty = true;
      this.dirty.push(entry);
    }
    if (within) {
      entry.own += 1;
      entry.sinceTick += 1;
      return {
        admitted: true,
        limit,
        remaining: Math.max(0, Math.floor(limit - used - 1)),
        resetSeconds: Math.max(1, Math.ceil((windowEnd - now) / 1000)),
      };
    }
    return {
      admitted: false,
      limit,
      remaining: 0,
      resetSeconds: used + 1 <= limit ? 1 : this.secondsUntilFree(entry, limit, now),
    };
  }

  /**
   * The counts to announce since the last call (cumulative per window), and the start of a new
   * tick: once the peers' counts of it are in, every share is worked out afresh.
   */
  drain(): RateCount[] {
    this.ticks += 1;
    const counts: RateCount[] = [];
    for (const entry of this.dirty) {
      if (entry.prevDirty) counts.push([entry.key, entry.win - 1, entry.ownPrev]);
      counts.push([entry.key, entry.win, entry.own]);
      entry.dirty = false;
      entry.prevDirty = false;
    }
    this.dirty = [];
    return counts;
  }

  /** Announces every own count at the next drain (after NATS was away). */
  announceAll(): void {
    for (const entry of this.entries.values()) {
      if (entry.own === 0 && entry.ownPrev === 0) continue;
      entry.prevDirty = entry.ownPrev > 0;
      if (!entry.dirty) {
        entry.dirty = true;
        this.dirty.push(entry);
      }
    }
  }

  /** Adds a peer's cumulative count of `key` in window `win` (stale or repeated: no effect). */
  merge(peer: string, key: string, win: number, count: number, now: number): void {
    const current = Math.floor(now / this.windowMs);
    // one window of clock difference either way; anything further is stale or nonsense
    if (win < current - 1 || win > current + 1) return;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      if (count === 0) return;
      entry = this.create(key, win);
      this.entries.set(key, entry);
    }
    if (win > entry.win) this.roll(entry, win);
    if (win === entry.win) {
      entry.peers ??= new Map();
      entry.remote += raise(entry.peers, peer, count);
    } else if (win === entry.win - 1) {
      entry.peersPrev ??= new Map();
      entry.remotePrev += raise(entry.peersPrev, peer, count);
    }
  }

  /**
   * Drops credentials with no count in the current or the previous window (idle for a window);
   * runs once per window, however often it is called.
   */
  sweep(now: number): void {
    const current = Math.floor(now / this.windowMs);
    if (current === this.sweptWindow) return;
    this.sweptWindow = current;
    for (const [key, entry] of this.entries) {
      if (entry.win < current - 1) this.entries.delete(key);
    }
  }

  private create(key: string, win: number): Entry {
    return {
      key,
      win,
      own: 0,
      ownPrev: 0,
      sinceTick: 0,
      lastTick: 0,
      tick: this.ticks,
      remote: 0,
      remotePrev: 0,
      peers: undefined,
      peersPrev: undefined,
      dirty: false,
      prevDirty: false,
      limit: 0,
      generation: -1,
    };
  }

  private roll(entry: Entry, win: number): void {
    const next = win === entry.win + 1;
    entry.ownPrev = next ? entry.own : 0;
    entry.remotePrev = next ? entry.remote : 0;
    entry.peersPrev = next ? entry.peers : undefined;
    entry.prevDirty = next && entry.dirty;
    entry.own = 0;
    entry.remote = 0;
    entry.peers = undefined;
    entry.win = win;
  }

  /** When the sliding estimate falls to `limit − 1`, if nothing more is admitted meanwhile. */
  private secondsUntilFree(entry: Entry, limit: number, now: number): number {
    const room = limit - 1;
    const start = entry.win * this.windowMs;
    const previous = entry.ownPrev + entry.remotePrev;
    const current = entry.own + entry.remote;
    let at: number;
    if (current <= room) {
      // within this window, as the previous one's weight decays
      at = previous === 0 ? now : start + this.windowMs * (1 - (room - current) / previous);
    } else {
      // next window, as this one's weight decays
      at = start + this.windowMs * (2 - room / current);
    }
    return Math.max(1, Math.ceil((at - now) / 1000));
  }
}
