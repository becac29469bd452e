import { jetstreamManager } from '@nats-io/jetstream';
import { Kvm, type KV } from '@nats-io/kv';
import type { KvBucket } from '@loyalty-edge/contracts';
import type { NatsLink } from './connection.js';
import { raiseReplicas, settled } from './replicas.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export interface BucketOptions {
  /** Entries expire this long after they were written (e.g. the gateway's `escher_replay`). */
  readonly ttlMs?: number;
}

/**
 * Opens the bucket `<prefix>_<bucket>`, keeping only the last value. A missing bucket is created
 * with `link.replicas` copies (NATS_JS_REPLICAS); an existing one keeps its settings, except that
 * fewer replicas than `link.replicas` are raised (never lowered), when this NATS user may update
 * the bucket (its owner: deploy/nats/permissions.mjs). A watcher that may not (the gateway) opens
 * it as it is; the owner raises it when it starts.
 */
export async function openBucket(
  link: NatsLink,
  bucket: KvBucket | 'escher_replay',
  options: BucketOptions = {},
): Promise<KV> {
  const kv = await whileJetStreamSettles(() =>
    new Kvm(link.connection).create(link.name(bucket), {
      history: 1,
      replicas: link.replicas,
      ...(options.ttlMs === undefined ? {} : { ttl: options.ttlMs }),
    }),
  );
  const stream = `KV_${link.name(bucket)}`;
  if (link.replicas > 1) {
    // just created (or created by another replica) with several copies: wait for its leader
    await settled(await jetstreamManager(link.connection, { checkAPI: false }), stream);
    await raiseReplicas(link, stream, { ownerOnly: true });
  }
  return kv;
}

/** JetStream answers that mean "not now" while a cluster forms or elects a leader. */
const TRANSIENT = /timeout|no responders|temporarily unavailable|no suitable peers|leader/i;

function isTransient(error: unknown): boolean {
  for (let current = error, depth = 0; depth < 3; depth += 1) {
    if (!(current instanceof Error)) return false;
    if (TRANSIENT.test(`${current.name} ${current.message}`)) return true;
    current = current.cause;
  }
  return false;
}

/**
 * Runs a JetStream call again while the answer is transient (a cluster starting, a leader being
 * elected), for up to `ms`; other errors, and the last transient one, are thrown.
 */
export async function whileJetStreamSettles<T>(call: () => Promise<T>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await call();
    } catch (error) {
      if (!isTransient(error) || Date.now() + pause > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, pause));
    }
  }
}

export async function kvPut(kv: KV, key: string, value: unknown): Promise<number> {
  return kv.put(key, encoder.encode(JSON.stringify(value)));
}

export async function kvGet<T>(kv: KV, key: string): Promise<T | undefined> {
  const entry = await kv.get(key);
  if (!entry || entry.operation !== 'PUT') return undefined;
  return JSON.parse(decoder.decode(entry.value)) as T;
}

export async function kvDelete(kv: KV, key: string): Promise<void> {
  await kv.delete(key);
}

export interface KvChange<T> {
  readonly key: string;
  /** undefined when the key was deleted. */
  readonly value: T | undefined;
  readonly revision: number;
  /** When the owner wrote it (server time). */
  readonly created: Date;
  /** false for the current values delivered when the watch starts. */
  readonly isUpdate: boolean;
}

/** What a watcher needs of a bucket (a `KV`; narrower so the watchdog can be tested alone). */
export type WatchedBucket = Pick<KV, 'status' | 'watch'>;

export interface WatchOptions {
  /**
   * How often the watchdog compares the bucket's last revision with the last one applied
   * (default 2 s). A watch that stays behind over two checks in a row is reopened from the
   * revision after the last one applied.
   */
  readonly checkIntervalMs?: number;
  /** Told each time the watchdog reopens the watch (for a metric and a log line). */
  readonly onReopen?: (why: 'behind' | 'ended') => void;
}

/**
 * Watches every key of a bucket: first the current value of each key, then each change.
 * `synced` resolves once the current values have all been delivered (for /readyz).
 *
 * The client library's watch recovers from missed heartbeats by re-creating its consumer, but
 * only once: if that falls while JetStream elects a new leader (a NATS node lost), the watch
 * stays silent until the node is back, and a gateway would keep enforcing an old policy. So a
 * watchdog asks the bucket for its last revision every `checkIntervalMs`; when the watch is
 * behind at two checks in a row without applying anything in between, or when the watch ended
 * by itself, it is reopened from the next revision (`resumeFromRevision`): nothing is applied
 * twice, nothing is skipped.
 */
export class KvWatcher<T> {
  private stopFn: (() => void) | undefined;
  private lastChangeAt = 0;
  private lastRevision = 0;
  /** `lastRevision` when the previous check found the watch behind, else undefined. */
  private behindAt: number | undefined;
  private generation = 0;
  private ended = false;
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private reopenings = 0;
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private isSynced = false;

  constructor(
    private readonly kv: WatchedBucket,
    private readonly onChange: (change: KvChange<T>) => void,
    private readonly options: WatchOptions = {},
  ) {
    this.synced = new Promise((resolve) => {
      this.markSynced = () => {
        this.isSynced = true;
        resolve();
      };
    });
  }

  get ready(): boolean {
    return this.isSynced;
  }

  /** Milliseconds since the last change was applied (0 if none yet). */
  get lastChangeAgeMs(): number {
    return this.lastChangeAt === 0 ? 0 : Date.now() - this.lastChangeAt;
  }

  /** How often the watchdog had to reopen the watch. */
  get reopened(): number {
    return this.reopenings;
  }

  async start(): Promise<void> {
    const status = await whileJetStreamSettles(() => this.kv.status());
    if (status.values === 0) this.markSynced();
    await whileJetStreamSettles(() => this.open());
    const interval = this.options.checkIntervalMs ?? 2_000;
    this.timer = setInterval(() => void this.check(), interval);
    this.timer.unref();
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    this.stopFn?.();
  }

  private async open(): Promise<void> {
    const generation = ++this.generation;
    this.ended = false;
    const iterator = await this.kv.watch({
      key: '>',
      ...(this.lastRevision === 0 ? {} : { resumeFromRevision: this.lastRevision + 1 }),
    });
    this.stopFn = () => iterator.stop();
    void (async () => {
      for await (const entry of iterator) {
        if (generation !== this.generation) break;
        if (entry.revision <= this.lastRevision) continue;
        const value =
          entry.operation === 'PUT' ? (JSON.parse(decoder.decode(entry.value)) as T) : undefined;
        this.onChange({
          key: entry.key,
          value,
          revision: entry.revision,
          created: entry.created,
          isUpdate: this.isSynced,
        });
        this.lastRevision = entry.revision;
        this.lastChangeAt = Date.now();
        if (!this.isSynced && (entry.isUpdate || entry.delta === 0)) this.markSynced();
      }
      // ended by itself (not stopped, not replaced): reopen at the next check
      if (generation === this.generation && !this.stopped) this.ended = true;
    })();
  }

  /** One watchdog check; NATS being away is not a reason to reopen (the client reconnects). */
  private async check(): Promise<void> {
    if (this.stopped) return;
    let behind: boolean;
    try {
      const { state } = (await this.kv.status()).streamInfo;
      behind = state.messages > 0 && state.last_seq > this.lastRevision;
    } catch {
      return;
    }
    if (!this.ended) {
      if (!behind) {
        this.behindAt = undefined;
        return;
      }
      if (this.behindAt !== this.lastRevision) {
        this.behindAt = this.lastRevision;
        return;
      }
    }
    this.options.onReopen?.(this.ended ? 'ended' : 'behind');
    this.behindAt = undefined;
    this.reopenings += 1;
    this.stopFn?.();
    try {
      await this.open();
    } catch {
      this.ended = true;
    }
  }
}
