import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { headers } from '@nats-io/transport-node';
import type { KvBucket } from '@loyalty-edge/contracts';
import { openBucket, type NatsLink } from '@loyalty-edge/nats';
import type { BucketEntry } from './reconcile-plan.js';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the relay and the reconcile need of NATS (a test can wrap it to fail on purpose). */
export interface KvPublisher {
  /** Puts the JSON; resolves to the key's new revision. */
  put(bucket: KvBucket, key: string, json: string, timeoutMs: number): Promise<number>;
  /** Writes a delete marker; resolves to its revision. */
  delete(bucket: KvBucket, key: string, timeoutMs: number): Promise<number>;
  /** The bucket's message count (delete markers included) and last sequence. */
  state(bucket: KvBucket): Promise<{ messages: number; lastSeq: number }>;
  /** The last entry of every key; values only `withValues`. */
  scan(bucket: KvBucket, withValues: boolean): Promise<Map<string, BucketEntry>>;
}

/** How long a scan may take, per 10,000 entries (at least one such period). */
const SCAN_MS_PER_10K = 10_000;

/**
 * KV through the service's NATS link. Puts and deletes are JetStream publishes to
 * `$KV.<bucket>.<key>` (what `kv.put` / `kv.delete` send), with a timeout per call and the
 * revision returned for deletes too; a scan is an ordered push consumer of the last entry per
 * key, headers only unless values are asked for (the same consumer `kv.keys()` uses).
 */
export class NatsKvPublisher implements KvPublisher {
  private readonly js: JetStreamClient;
  private readonly buckets = new Map<KvBucket, Promise<KV>>();

  constructor(private readonly link: NatsLink) {
    this.js = jetstream(link.connection);
  }

  /** Opens (creating when missing) the bucket once. */
  open(bucket: KvBucket): Promise<KV> {
    let kv = this.buckets.get(bucket);
    if (!kv) {
      kv = openBucket(this.link, bucket);
      kv.catch(() => this.buckets.delete(bucket));
      this.buckets.set(bucket, kv);
    }
    return kv;
  }

  async put(bucket: KvBucket, key: string, json: string, timeoutMs: number): Promise<number> {
    await this.open(bucket);
    const ack = await this.js.publish(this.subject(bucket, key), encoder.encode(json), {
      timeout: timeoutMs,
    });
    return ack.seq;
  }

  async delete(bucket: KvBucket, key: string, timeoutMs: number): Promise<number> {
    await this.open(bucket);
    const h = headers();
    h.set('KV-Operation', 'DEL');
    const ack = await this.js.publish(this.subject(bucket, key), new Uint8Array(0), {
      headers: h,
      timeout: timeoutMs,
    });
    return ack.seq;
  }

  async state(bucket: KvBucket): Promise<{ messages: number; lastSeq: number }> {
    const { streamInfo } = await (await this.open(bucket)).status();
    return { messages: streamInfo.state.messages, lastSeq: streamInfo.state.last_seq };
  }

  async scan(bucket: KvBucket, withValues: boolean): Promise<Map<string, BucketEntry>> {
    const kv = await this.open(bucket);
    const entries = new Map<string, BucketEntry>();
    const { values } = await kv.status();
    if (values === 0) return entries;
    const iterator = await kv.watch({ key: '>', headers_only: !withValues });
    const limitMs = SCAN_MS_PER_10K * Math.max(1, Math.ceil(values / 10_000));
    const timer = setTimeout(() => iterator.stop(), limitMs);
    let complete = false;
    let lastDelta = -1;
    try {
      for await (const entry of iterator) {
        lastDelta = entry.delta ?? -1;
        const deleted = entry.operation !== 'PUT';
        entries.set(entry.key, {
          revision: entry.revision,
          deleted,
          value: withValues && !deleted ? decoder.decode(entry.value) : undefined,
        });
        // the last entry pending when the consumer started (by its pending count, or by the
        // count nats.js took at creation, which survives a reset of the ordered consumer)
        if (entry.delta === 0 || entry.isUpdate) {
          complete = true;
          break;
        }
      }
    } finally {
      clearTimeout(timer);
      iterator.stop();
    }
    if (!complete) {
      throw new Error(
        `scan of ${bucket} incomplete after ${limitMs} ms (${entries.size} of ${values} entries, last delta ${lastDelta})`,
      );
    }
    return entries;
  }

  private subject(bucket: KvBucket, key: string): string {
    return `$KV.${this.link.name(bucket)}.${key}`;
  }
}
