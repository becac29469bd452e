import {
  Inject,
  Injectable,
  Logger,
  Optional,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { Status } from '@nats-io/transport-node';
import type { Gauge } from 'prom-client';
import {
  DataSource,
  type EntityManager,
  type EntitySubscriberInterface,
  type QueryRunner,
  type TransactionCommitEvent,
  type TransactionRollbackEvent,
} from 'typeorm';
import type { KvBucket } from '@loyalty-edge/contracts';
import { NatsLink } from '@loyalty-edge/nats';
import { Metrics, Readiness } from '@loyalty-edge/observability';
import { DEFAULT_BACKOFF, type Backoff } from './backoff.js';
import { NatsKvPublisher, type KvPublisher } from './kv-publisher.js';
import { outboxMetrics, type BucketBacklog } from './outbox-metrics.js';
import { OutboxStore, type StoredChange } from './outbox-store.js';
import { KvRelay, type ReconcileResult } from './relay.js';

/** A change of one key: a value to put (any JSON-serialisable record), or a delete. */
export type KvWrite =
  | { readonly bucket: KvBucket; readonly key: string; readonly value: unknown }
  | { readonly bucket: KvBucket; readonly key: string; readonly deleted: true };

/** The bucket a service owns, and how to read every record of it from the service's table. */
export interface KvSource {
  readonly bucket: KvBucket;
  /** Every key the bucket should hold with its record; read once, at first start (back-fill). */
  snapshot(): Promise<readonly { readonly key: string; readonly value: unknown }[]>;
}

/** The outbox rows a write added, to wait for with `settled`. */
export interface OutboxTicket {
  readonly ids: readonly number[];
}

export interface KvOutboxOptions {
  /** Slow poll for rows other replicas committed, and for the metrics (1 s). */
  readonly pollMs?: number;
  /** Reconcile every bucket with what was published (5 min; also at start). */
  readonly reconcileMs?: number;
  /** /readyz fails while a change has waited longer than this (30 s). */
  readonly staleAfterMs?: number;
  /** How long `settled` waits by default (2 s: under the 3 s of an RPC). */
  readonly settleTimeoutMs?: number;
  /** Longest wait for one publish (2 s); retries start shorter. */
  readonly publishTimeoutMs?: number;
  /** Rows read and published per round (500). */
  readonly batchSize?: number;
  readonly backoff?: Backoff;
  /** How long start-up waits for the first cycle (back-fill, drain, reconcile) (30 s). */
  readonly startWaitMs?: number;
  /** Done rows kept for inspection (1 h). */
  readonly keepDoneSeconds?: number;
  /** Wraps the NATS side (tests inject failures). */
  readonly wrapPublisher?: (publisher: KvPublisher) => KvPublisher;
}

export const KV_OUTBOX_OPTIONS = Symbol('KvOutboxOptions');

/** Keys NATS accepts (what @nats-io/kv validates), checked before a row can be stored. */
const VALID_KEY = /^[-/=\w]+(\.[-/=\w]+)*$/;

interface Waiter {
  readonly remaining: Set<number>;
  wake: () => void;
}

/**
 * The transactional outbox of the KV buckets a service owns. A change of a record is written to
 * `kv_outbox` in the transaction of the change itself (`write`); after the commit the relay of
 * this process wakes at once and writes it to NATS, retrying with back-off while NATS is away;
 * replicas relay one at a time. A periodic reconcile compares each bucket with what was
 * published, by revision, and repairs only what differs. Metrics `<app>_kv_outbox_*`; /readyz
 * check `kv_outbox` (no change pending longer than `staleAfterMs`).
 */
@Injectable()
export class KvOutbox implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('KvOutbox');
  private readonly store: OutboxStore;
  private readonly relay: KvRelay;
  private readonly publisher: NatsKvPublisher;
  private readonly sources = new Map<KvBucket, KvSource>();
  /** Query runners whose open transaction wrote outbox rows: wake the relay at their commit. */
  private readonly writers = new WeakSet<QueryRunner>();
  private readonly waiters = new Set<Waiter>();
  private readonly backlog = new Map<string, BucketBacklog>();
  private readonly settings: Required<Omit<KvOutboxOptions, 'wrapPublisher'>>;
  private readonly subscriber: EntitySubscriberInterface;
  private readonly depth: Gauge<'bucket'>;
  private pollTimer: NodeJS.Timeout | undefined;
  private reconcileTimer: NodeJS.Timeout | undefined;
  private stopStatus: (() => void) | undefined;
  private polling = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly link: NatsLink,
    metrics: Metrics,
    readiness: Readiness,
    @Optional() @Inject(KV_OUTBOX_OPTIONS) options: KvOutboxOptions | null = null,
  ) {
    this.settings = {
      pollMs: options?.pollMs ?? 1000,
      reconcileMs: options?.reconcileMs ?? 300_000,
      staleAfterMs: options?.staleAfterMs ?? 30_000,
      settleTimeoutMs: options?.settleTimeoutMs ?? 2000,
      publishTimeoutMs: options?.publishTimeoutMs ?? 2000,
      batchSize: options?.batchSize ?? 500,
      backoff: options?.backoff ?? DEFAULT_BACKOFF,
      startWaitMs: options?.startWaitMs ?? 30_000,
      keepDoneSeconds: options?.keepDoneSeconds ?? 3600,
    };
    this.store = new OutboxStore(dataSource);
    this.publisher = new NatsKvPublisher(link);
    const counters = outboxMetrics(metrics, this.backlog);
    this.depth = counters.depth;
    const wrap = options?.wrapPublisher ?? ((publisher: KvPublisher) => publisher);
    this.relay = new KvRelay(
      dataSource,
      this.store,
      wrap(this.publisher),
      () =>
        [...this.sources.values()].map((source) => ({
          bucket: source.bucket,
          snapshot: async () =>
            (await source.snapshot()).map(({ key, value }) => ({
              key,
              value: JSON.stringify(value),
            })),
        })),
      () => link.connected,
      {
        batchSize: this.settings.batchSize,
        publishTimeoutMs: this.settings.publishTimeoutMs,
        backoff: this.settings.backoff,
        contentionMs: 25,
        keepDoneSeconds: this.settings.keepDoneSeconds,
      },
      {
        published: (bucket, count) => counters.published.inc({ bucket }, count),
        failed: (bucket, count) => counters.failures.inc({ bucket }, count),
        repaired: (bucket, count) => counters.repaired.inc({ bucket }, count),
        done: (ids) => this.done(ids),
      },
    );
    readiness.add('kv_outbox', () => this.oldestPendingMs() <= this.settings.staleAfterMs);
    this.subscriber = {
      afterTransactionCommit: (event: TransactionCommitEvent) => {
        const runner = event.queryRunner;
        if (runner.isTransactionActive || !this.writers.has(runner)) return;
        this.writers.delete(runner);
        this.relay.wake();
      },
      afterTransactionRollback: (event: TransactionRollbackEvent) => {
        if (!event.queryRunner.isTransactionActive) this.writers.delete(event.queryRunner);
      },
    };
    dataSource.subscribers.push(this.subscriber);
  }

  /** Declares a bucket this service owns (call in `onModuleInit`). */
  register(source: KvSource): void {
    this.sources.set(source.bucket, source);
  }

  /**
   * Records changes in the caller's open transaction (`manager` of `dataSource.transaction`);
   * they reach NATS after the commit, in order, and survive a NATS outage. Write the outbox last
   * in the transaction: it locks the changed keys until the commit. With `unlessSame`, a change
   * equal to the key's latest value is left out.
   */
  async write(
    manager: EntityManager,
    changes: readonly KvWrite[],
    options: { readonly unlessSame?: boolean } = {},
  ): Promise<OutboxTicket> {
    const runner = manager.queryRunner;
    if (!runner?.isTransactionActive) {
      throw new Error('KvOutbox.write needs the manager of an open transaction');
    }
    const stored: StoredChange[] = changes.map((change) => {
      if (!this.sources.has(change.bucket)) {
        throw new Error(`bucket ${change.bucket} is not registered with the outbox`);
      }
      if (!VALID_KEY.test(change.key))
        throw new Error(`invalid KV key ${JSON.stringify(change.key)}`);
      return {
        bucket: change.bucket,
        key: change.key,
        value: 'deleted' in change ? null : JSON.stringify(change.value),
      };
    });
    const ids = await this.store.append(manager, stored, options.unlessSame === true);
    if (ids.length > 0) this.writers.add(runner);
    return { ids };
  }

  put(
    manager: EntityManager,
    bucket: KvBucket,
    key: string,
    value: unknown,
  ): Promise<OutboxTicket> {
    return this.write(manager, [{ bucket, key, value }]);
  }

  delete(manager: EntityManager, bucket: KvBucket, key: string): Promise<OutboxTicket> {
    return this.write(manager, [{ bucket, key, deleted: true }]);
  }

  /**
   * Waits until the ticket's changes are in NATS (published by this replica or another); false
   * after `timeoutMs`: they stay queued and are published once NATS answers again.
   */
  async settled(ticket: OutboxTicket, timeoutMs = this.settings.settleTimeoutMs): Promise<boolean> {
    if (ticket.ids.length === 0) return true;
    const waiter: Waiter = { remaining: new Set(ticket.ids), wake: () => undefined };
    const deadline = performance.now() + timeoutMs;
    this.waiters.add(waiter);
    try {
      while (waiter.remaining.size > 0) {
        const left = deadline - performance.now();
        if (left <= 0) return false;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, Math.min(left, 25));
          waiter.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (waiter.remaining.size > 0) {
          // another replica may hold the relay lock and publish them
          const still = await this.store.stillPending([...waiter.remaining]);
          for (const id of waiter.remaining) if (!still.has(id)) waiter.remaining.delete(id);
        }
      }
      return true;
    } finally {
      this.waiters.delete(waiter);
    }
  }

  /** Runs a relay cycle now and waits for it. */
  flush(): Promise<void> {
    return this.relay.flush();
  }

  /** Reconciles every bucket now (one cycle) and returns what it found. */
  async reconcile(): Promise<readonly ReconcileResult[]> {
    this.relay.requestReconcile();
    await this.relay.flush();
    return this.relay.reconciled;
  }

  async onApplicationBootstrap(): Promise<void> {
    for (const bucket of this.sources.keys()) await this.publisher.open(bucket);
    this.watchConnection();
    const started = await this.relay.start(this.settings.startWaitMs);
    if (!started) this.logger.warn({ msg: 'kv outbox not caught up at start; still trying' });
    this.pollTimer = setInterval(() => void this.poll(), this.settings.pollMs);
    this.pollTimer.unref();
    this.reconcileTimer = setInterval(
      () => this.relay.requestReconcile(),
      this.settings.reconcileMs,
    );
    this.reconcileTimer.unref();
    await this.poll();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.pollTimer);
    clearInterval(this.reconcileTimer);
    this.stopStatus?.();
    await this.relay.stop();
    const index = this.dataSource.subscribers.indexOf(this.subscriber);
    if (index >= 0) this.dataSource.subscribers.splice(index, 1);
  }

  /** Milliseconds the oldest pending change has waited (as of the last poll). */
  oldestPendingMs(): number {
    let oldest = 0;
    for (const { depth, since } of this.backlog.values()) {
      if (depth > 0) oldest = Math.max(oldest, Date.now() - since);
    }
    return oldest;
  }

  private async poll(): Promise<void> {
    if (this.polling) return;
    this.polling = true;
    try {
      const rows = await this.store.backlog();
      const seen = new Set<string>();
      for (const row of rows) {
        seen.add(row.bucket);
        this.backlog.set(row.bucket, {
          depth: row.depth,
          since: Date.now() - row.ageSeconds * 1000,
        });
        this.depth.set({ bucket: row.bucket }, row.depth);
      }
      for (const bucket of new Set([...this.sources.keys(), ...this.backlog.keys()])) {
        if (seen.has(bucket)) continue;
        this.backlog.set(bucket, { depth: 0, since: Date.now() });
        this.depth.set({ bucket }, 0);
      }
      if (rows.length > 0) this.relay.wake();
    } catch (error) {
      this.logger.warn({
        msg: 'kv outbox poll failed',
        error: error instanceof Error ? error.message : 'unknown',
      });
    } finally {
      this.polling = false;
    }
  }

  private done(ids: readonly number[]): void {
    for (const waiter of this.waiters) {
      for (const id of ids) waiter.remaining.delete(id);
      if (waiter.remaining.size === 0) waiter.wake();
    }
  }

  private watchConnection(): void {
    // nats.js hands out a queued iterator: `stop()` ends it (not part of its declared type)
    const status = this.link.connection.status() as AsyncIterable<Status> & { stop?: () => void };
    this.stopStatus = () => status.stop?.();
    void (async () => {
      for await (const event of status) if (event.type === 'reconnect') this.relay.reconnected();
    })();
  }
}
