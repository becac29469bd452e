import { Logger } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import type { DataSource } from 'typeorm';
import type { KvBucket } from '@loyalty-edge/contracts';
import { openDatabase } from '@loyalty-edge/db';
import { NatsLink, openBucket, type NatsSettings } from '@loyalty-edge/nats';
import { Metrics, Readiness } from '@loyalty-edge/observability';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import {
  CreateKvOutbox1736000000000,
  KvOutbox,
  type KvOutboxOptions,
  type KvPublisher,
  type KvSource,
} from '../src/index.js';

export const BUCKET: KvBucket = 'api_keys';

// the relay's retry warnings are expected here
Logger.overrideLogger(['error']);

/** A service replica as far as the outbox is concerned: its own pool, NATS link and metrics. */
export interface Replica {
  readonly dataSource: DataSource;
  readonly link: NatsLink;
  readonly outbox: KvOutbox;
  readonly metrics: Metrics;
  readonly readiness: Readiness;
  stop(): Promise<void>;
}

/** A publisher that fails while `held` (as NATS would while away) and counts what it does. */
export class Gate {
  held = false;
  attempts: number[] = [];
  puts = 0;

  wrap = (inner: KvPublisher): KvPublisher => ({
    put: async (bucket, key, json, timeoutMs) => {
      this.attempts.push(performance.now());
      if (this.held) throw new Error('held');
      this.puts += 1;
      return inner.put(bucket, key, json, timeoutMs);
    },
    delete: async (bucket, key, timeoutMs) => {
      this.attempts.push(performance.now());
      if (this.held) throw new Error('held');
      this.puts += 1;
      return inner.delete(bucket, key, timeoutMs);
    },
    state: (bucket) => inner.state(bucket),
    scan: (bucket, withValues) => inner.scan(bucket, withValues),
  });
}

/** One schema, one NATS prefix per test file; replicas share both. */
export class OutboxHarness {
  readonly prefix = uniquePrefix();
  readonly schema = `${this.prefix}_outbox`;
  private readonly replicas: Replica[] = [];
  private testLink: NatsLink | undefined;

  async replica(
    sources: readonly KvSource[],
    options: KvOutboxOptions = {},
    start = true,
  ): Promise<Replica> {
    const dataSource = await openDatabase({
      url: process.env.DATABASE_URL ?? '',
      schema: this.schema,
      entities: [],
      migrations: [CreateKvOutbox1736000000000],
      poolSize: 4,
    });
    const link = await NatsLink.open(this.settings(), `outbox-${this.replicas.length}`);
    const metrics = new Metrics('t');
    const readiness = new Readiness();
    const outbox = new KvOutbox(dataSource, link, metrics, readiness, {
      pollMs: 100,
      ...options,
    });
    for (const source of sources) outbox.register(source);
    if (start) await outbox.onApplicationBootstrap();
    let stopped = false;
    const replica: Replica = {
      dataSource,
      link,
      outbox,
      metrics,
      readiness,
      async stop() {
        if (stopped) return;
        stopped = true;
        await outbox.beforeApplicationShutdown();
        await link.close();
        await dataSource.destroy();
      },
    };
    this.replicas.push(replica);
    return replica;
  }

  /** The bucket as a test client sees it. */
  async bucket(bucket: KvBucket = BUCKET): Promise<KV> {
    this.testLink ??= await NatsLink.open(this.settings(), 'outbox-test');
    return openBucket(this.testLink, bucket);
  }

  async stop(): Promise<void> {
    for (const replica of this.replicas) await replica.stop();
    await this.testLink?.close();
    await cleanUp(this.prefix);
  }

  private settings(): NatsSettings {
    return {
      url: process.env.NATS_URL ?? '',
      prefix: this.prefix,
      requestTimeoutMs: 3000,
      replicas: 1,
    };
  }
}

/** Puts `value` under `key` through the outbox, in a transaction of its own. */
export async function change(
  replica: Replica,
  key: string,
  value: unknown,
  bucket: KvBucket = BUCKET,
): Promise<readonly number[]> {
  const ticket = await replica.dataSource.transaction((manager) =>
    value === undefined
      ? replica.outbox.delete(manager, bucket, key)
      : replica.outbox.put(manager, bucket, key, value),
  );
  return ticket.ids;
}

export const source = (
  records: () => readonly { key: string; value: unknown }[] = () => [],
  bucket: KvBucket = BUCKET,
): KvSource => ({ bucket, snapshot: () => Promise.resolve(records()) });

export async function valueOf(kv: KV, key: string): Promise<unknown> {
  const entry = await kv.get(key);
  return entry?.operation === 'PUT' ? entry.json() : undefined;
}
