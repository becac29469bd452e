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
  const kv = await new Kvm(link.connection).create(link.name(bucket), {
    history: 1,
    replicas: link.replicas,
    ...(options.ttlMs === undefined ? {} : { ttl: options.ttlMs }),
  });
  const stream = `KV_${link.name(bucket)}`;
  if (link.replicas > 1) {
    // just created (or created by another replica) with several copies: wait for its leader
    await settled(await jetstreamManager(link.connection, { checkAPI: false }), stream);
    await raiseReplicas(link, stream, { ownerOnly: true });
  }
  return kv;
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

/**
 * Watches every key of a bucket: first the current value of each key, then each change.
 * `synced` resolves once the current values have all been delivered (for /readyz).
 */
export class KvWatcher<T> {
  private stopFn: (() => void) | undefined;
  private lastChangeAt = 0;
  readonly synced: Promise<void>;
  private markSynced!: () => void;
  private isSynced = false;

  constructor(
    private readonly kv: KV,
    private readonly onChange: (change: KvChange<T>) => void,
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

  async start(): Promise<void> {
    const status = await this.kv.status();
    const iterator = await this.kv.watch({ key: '>' });
    this.stopFn = () => iterator.stop();
    if (status.values === 0) this.markSynced();
    void (async () => {
      for await (const entry of iterator) {
        const value =
          entry.operation === 'PUT' ? (JSON.parse(decoder.decode(entry.value)) as T) : undefined;
        this.onChange({
          key: entry.key,
          value,
          revision: entry.revision,
          created: entry.created,
          isUpdate: this.isSynced,
        });
        this.lastChangeAt = Date.now();
        if (!this.isSynced && (entry.isUpdate || entry.delta === 0)) this.markSynced();
      }
    })();
  }

  stop(): void {
    this.stopFn?.();
  }
}
