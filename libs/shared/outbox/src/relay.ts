import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { KvBucket } from '@loyalty-edge/contracts';
import { backoffDelay, publishTimeout, type Backoff } from './backoff.js';
import { coalesce, keyOf } from './coalesce.js';
import type { KvPublisher } from './kv-publisher.js';
import type { OutboxStore, PublishedChange } from './outbox-store.js';
import { planReconcile, unchangedSincePublished } from './reconcile-plan.js';

export interface RelaySettings {
  readonly batchSize: number;
  readonly publishTimeoutMs: number;
  readonly backoff: Backoff;
  /** Retry delay when another replica holds the relay lock. */
  readonly contentionMs: number;
  /** Done rows are deleted after this long (at each reconcile). */
  readonly keepDoneSeconds: number;
}

/** What the relay reports (metrics, waiting callers). */
export interface RelayEvents {
  published(bucket: string, count: number): void;
  failed(bucket: string, count: number): void;
  repaired(bucket: string, count: number): void;
  /** Outbox ids now done (published, or superseded by a newer change of their key). */
  done(ids: readonly number[]): void;
}

/** One bucket of the service and how to read its records from the owner's table. */
export interface RelaySource {
  readonly bucket: KvBucket;
  snapshot(): Promise<readonly { key: string; value: string }[]>;
}

export interface ReconcileResult {
  readonly bucket: string;
  /** false when the stream state showed nothing changed, so no key was read. */
  readonly scanned: boolean;
  readonly equal: number;
  readonly adopted: number;
  readonly queued: number;
}

type TimerKind = 'backoff' | 'contention';

/**
 * Publishes the outbox: one cycle at a time in this process, one replica at a time across the
 * service (a PostgreSQL session advisory lock held for the cycle). A cycle back-fills at first
 * start, drains pending rows in id order (coalesced per key, pipelined to NATS), reconciles the
 * buckets when asked, and drains again. A failed cycle is retried with exponential back-off;
 * a commit, the slow poll or a NATS reconnect starts a cycle at once.
 */
export class KvRelay {
  private readonly logger = new Logger('KvOutbox');
  private busy = false;
  private again = false;
  private stopped = false;
  private timer: { handle: NodeJS.Timeout; kind: TimerKind } | undefined;
  private cycleDone: Promise<void> = Promise.resolve();
  /** Consecutive failed cycles (0 when the last one succeeded). */
  private attempt = 0;
  private backfillWanted = false;
  /** The first cycle after `start` copied every bucket's table (when never done before). */
  private backfilled = false;
  private reconcileWanted = false;
  private readonly waitingForStart: (() => void)[] = [];
  private lastReconcile: ReconcileResult[] = [];

  constructor(
    private readonly dataSource: DataSource,
    private readonly store: OutboxStore,
    private readonly publisher: KvPublisher,
    private readonly sources: () => readonly RelaySource[],
    private readonly connected: () => boolean,
    private readonly settings: RelaySettings,
    private readonly events: RelayEvents,
  ) {}

  /** Consecutive failed cycles; 0 when healthy. */
  get failures(): number {
    return this.attempt;
  }

  /** The outcome of the last reconcile of each bucket. */
  get reconciled(): readonly ReconcileResult[] {
    return this.lastReconcile;
  }

  /**
   * First cycle of a start: back-fill, drain, reconcile, drain. Resolves when it succeeded, or
   * after `waitMs` (the relay keeps trying in the background).
   */
  async start(waitMs: number): Promise<boolean> {
    this.backfillWanted = true;
    this.reconcileWanted = true;
    const started = new Promise<boolean>((resolve) =>
      this.waitingForStart.push(() => resolve(true)),
    );
    this.kick();
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), waitMs)),
    );
    try {
      return await Promise.race([started, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** A change was committed (or may be pending): publish now, unless backing off. */
  wake(): void {
    if (this.timer?.kind === 'backoff') return;
    this.kick();
  }

  /** NATS is back: retry at once, with short publish timeouts while JetStream recovers. */
  reconnected(): void {
    if (this.attempt > 0) this.attempt = 1;
    this.kick();
  }

  /** Ask for a reconcile of every bucket in the next cycle. */
  requestReconcile(): void {
    this.reconcileWanted = true;
    this.wake();
  }

  /** Runs one cycle now and waits for it (tests, and the drain before shutdown). */
  async flush(): Promise<void> {
    while (this.busy) await this.cycleDone;
    this.kick();
    await this.cycleDone;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.clearTimer();
    await this.cycleDone;
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.busy) {
      this.again = true;
      return;
    }
    this.clearTimer();
    this.busy = true;
    this.again = false;
    this.cycleDone = this.cycle().finally(() => {
      this.busy = false;
      if (this.again && this.timer === undefined) this.kick();
    });
  }

  private schedule(delayMs: number, kind: TimerKind): void {
    this.clearTimer();
    if (this.stopped) return;
    const handle = setTimeout(() => {
      this.timer = undefined;
      this.kick();
    }, delayMs);
    handle.unref();
    this.timer = { handle, kind };
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer.handle);
    this.timer = undefined;
  }

  private async cycle(): Promise<void> {
    const runner = this.dataSource.createQueryRunner();
    let locked = false;
    try {
      await runner.connect();
      locked = await this.store.tryLock(runner);
      if (!locked) {
        this.schedule(this.settings.contentionMs, 'contention');
        return;
      }
      if (this.backfillWanted) {
        await this.backfill();
        this.backfillWanted = false;
        this.backfilled = true;
      }
      await this.drain();
      // never before the back-fill: a bucket not yet copied would look like keys to delete
      if (this.reconcileWanted && this.backfilled) {
        this.lastReconcile = await this.reconcile();
        this.reconcileWanted = false;
        await this.store.purgeDone(this.settings.keepDoneSeconds);
        await this.drain();
      }
      this.attempt = 0;
      if (this.backfilled && !this.reconcileWanted) {
        for (const resolve of this.waitingForStart.splice(0)) resolve();
      }
    } catch (error) {
      this.attempt += 1;
      const delay = backoffDelay(this.attempt, this.settings.backoff);
      if (this.attempt === 1 || this.attempt % 20 === 0) {
        this.logger.warn({
          msg: 'kv outbox cycle failed; retrying',
          error: error instanceof Error ? error.message : 'unknown',
          attempt: this.attempt,
          retryInMs: delay,
        });
      }
      this.schedule(delay, 'backoff');
    } finally {
      if (locked) await this.store.unlock(runner).catch(() => undefined);
      await runner.release().catch(() => undefined);
    }
  }

  private async backfill(): Promise<void> {
    for (const source of this.sources()) {
      const copied = await this.store.backfill(source.bucket, () => source.snapshot());
      if (copied !== false) {
        this.logger.log({ msg: 'kv outbox back-filled', bucket: source.bucket, keys: copied });
      }
    }
  }

  /**
   * Publishes pending rows until none is left; throws after recording what did get through.
   * Pages by id; once a page comes back empty it looks once more from the start, for rows of
   * transactions that took a lower id but committed later (another key: a key's rows commit in
   * id order).
   */
  private async drain(): Promise<void> {
    let after = 0;
    for (;;) {
      const rows = await this.store.pending(this.settings.batchSize, after);
      if (rows.length === 0) {
        if (after === 0) return;
        after = 0;
        continue;
      }
      after = rows.at(-1)?.id ?? after;
      if (!this.connected()) throw new Error('NATS is disconnected');
      const { latest, ids } = coalesce(rows);
      const timeout = publishTimeout(this.attempt, this.settings.publishTimeoutMs);
      // sent in id order on one connection, so NATS stores them in that order
      const outcomes = await Promise.allSettled(
        latest.map((row) =>
          row.value === null
            ? this.publisher.delete(row.bucket as KvBucket, row.key, timeout)
            : this.publisher.put(row.bucket as KvBucket, row.key, row.value, timeout),
        ),
      );
      const published: PublishedChange[] = [];
      const doneIds: number[] = [];
      const failedByBucket = new Map<string, number>();
      const publishedByBucket = new Map<string, number>();
      let firstError: Error | undefined;
      outcomes.forEach((outcome, index) => {
        const row = latest[index];
        if (!row) return;
        if (outcome.status === 'fulfilled') {
          published.push({ ...row, outboxId: row.id, revision: outcome.value });
          doneIds.push(...(ids.get(keyOf(row)) ?? []));
          publishedByBucket.set(row.bucket, (publishedByBucket.get(row.bucket) ?? 0) + 1);
        } else {
          firstError ??=
            outcome.reason instanceof Error ? outcome.reason : new Error(String(outcome.reason));
          failedByBucket.set(row.bucket, (failedByBucket.get(row.bucket) ?? 0) + 1);
        }
      });
      if (published.length > 0) {
        await this.store.record(published, doneIds);
        this.events.done(doneIds);
      }
      for (const [bucket, count] of publishedByBucket) this.events.published(bucket, count);
      for (const [bucket, count] of failedByBucket) this.events.failed(bucket, count);
      if (firstError !== undefined) throw firstError;
    }
  }

  private async reconcile(): Promise<ReconcileResult[]> {
    const results: ReconcileResult[] = [];
    for (const { bucket } of this.sources()) {
      const result = await this.reconcileBucket(bucket);
      results.push(result);
      if (result.queued > 0) this.events.repaired(bucket, result.queued);
      if (result.scanned) this.logger.log({ msg: 'kv outbox reconciled', ...result });
    }
    return results;
  }

  private async reconcileBucket(bucket: KvBucket): Promise<ReconcileResult> {
    if (!(await this.store.backfilled(bucket))) {
      return { bucket, scanned: false, equal: 0, adopted: 0, queued: 0 };
    }
    const [state, recorded] = await Promise.all([
      this.publisher.state(bucket),
      this.store.quickState(bucket),
    ]);
    if (unchangedSincePublished({ ...state, ...recorded })) {
      return { bucket, scanned: false, equal: recorded.recorded, adopted: 0, queued: 0 };
    }
    const rows = await this.store.published(bucket);
    const entries = await this.publisher.scan(bucket, recorded.unknown > 0);
    const pending = await this.store.pendingKeys(bucket);
    const plan = planReconcile(entries, rows, pending);
    await this.store.adopt(bucket, plan.adopt);
    await this.store.alignMarkers(bucket, plan.markers, plan.forget);
    const queued = await this.store.enqueueRepairs(bucket, plan.repair, plan.extra);
    return { bucket, scanned: true, equal: plan.equal, adopted: plan.adopt.length, queued };
  }
}
