import type { KvWatchOptions } from '@nats-io/kv';
import { KvWatcher, whileJetStreamSettles, type KvChange, type WatchedBucket } from './kv.js';

interface Entry {
  readonly key: string;
  readonly revision: number;
}

/**
 * A bucket whose stream holds `entries`; each watch delivers what is stored from its start
 * revision, then only what `deliver` pushes to it, like a watch that can fall silent.
 */
class FakeBucket {
  readonly entries: Entry[] = [];
  readonly watches: { from: number; push: (entry: Entry) => void; end: () => void }[] = [];

  status(): Promise<Awaited<ReturnType<WatchedBucket['status']>>> {
    const last = this.entries.at(-1)?.revision ?? 0;
    return Promise.resolve({
      values: this.entries.length,
      streamInfo: { state: { messages: this.entries.length, last_seq: last } },
    } as unknown as Awaited<ReturnType<WatchedBucket['status']>>);
  }

  watch(options: KvWatchOptions = {}): ReturnType<WatchedBucket['watch']> {
    const from = options.resumeFromRevision ?? 1;
    const queue: Entry[] = this.entries.filter((entry) => entry.revision >= from);
    let wake: (() => void) | undefined;
    let done = false;
    const stored = queue.length;
    const iterator = {
      stop: () => {
        done = true;
        wake?.();
      },
      async *[Symbol.asyncIterator]() {
        let delivered = 0;
        for (;;) {
          const entry = queue.shift();
          if (entry !== undefined) {
            delivered += 1;
            yield {
              key: entry.key,
              revision: entry.revision,
              operation: 'PUT',
              value: new TextEncoder().encode(JSON.stringify(entry.revision)),
              created: new Date(),
              isUpdate: delivered > stored,
              delta: Math.max(0, stored - delivered),
            };
            continue;
          }
          if (done) return;
          await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    };
    this.watches.push({
      from,
      push: (entry) => {
        queue.push(entry);
        wake?.();
      },
      end: () => iterator.stop(),
    });
    return Promise.resolve(iterator as unknown as Awaited<ReturnType<WatchedBucket['watch']>>);
  }

  /** Stores an entry without delivering it to any watch (a silent watch). */
  store(key: string): Entry {
    const entry = { key, revision: (this.entries.at(-1)?.revision ?? 0) + 1 };
    this.entries.push(entry);
    return entry;
  }
}

const until = async (check: () => boolean): Promise<void> => {
  for (let i = 0; i < 400 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
  expect(check()).toBe(true);
};

describe(KvWatcher.name, () => {
  let watcher: KvWatcher<number>;
  afterEach(() => watcher.stop());

  it('reopens a watch that fell silent, from the revision after the last one applied', async () => {
    const bucket = new FakeBucket();
    bucket.store('a');
    bucket.store('b');
    const changes: KvChange<number>[] = [];
    watcher = new KvWatcher<number>(bucket, (change) => changes.push(change), {
      checkIntervalMs: 10,
    });
    await watcher.start();
    await watcher.synced;
    await until(() => changes.length === 2);

    bucket.store('c'); // stored, never delivered by the first watch
    await until(() => changes.length === 3);
    expect(bucket.watches.map((watch) => watch.from)).toEqual([1, 3]);
    expect(changes.map((change) => [change.key, change.revision, change.isUpdate])).toEqual([
      ['a', 1, false],
      ['b', 2, false],
      ['c', 3, true],
    ]);
    expect(watcher.reopened).toBe(1);
  });

  it('leaves a watch alone while it keeps up', async () => {
    const bucket = new FakeBucket();
    bucket.store('a');
    const changes: KvChange<number>[] = [];
    watcher = new KvWatcher<number>(bucket, (change) => changes.push(change), {
      checkIntervalMs: 10,
    });
    await watcher.start();
    for (const key of ['b', 'c', 'd']) bucket.watches[0]?.push(bucket.store(key));
    await until(() => changes.length === 4);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(bucket.watches).toHaveLength(1);
    expect(watcher.reopened).toBe(0);
  });

  it('reopens a watch that ended by itself, without applying anything twice', async () => {
    const bucket = new FakeBucket();
    bucket.store('a');
    const changes: KvChange<number>[] = [];
    watcher = new KvWatcher<number>(bucket, (change) => changes.push(change), {
      checkIntervalMs: 10,
    });
    await watcher.start();
    await until(() => changes.length === 1);
    bucket.watches[0]?.end();
    await until(() => bucket.watches.length === 2);
    bucket.watches[1]?.push(bucket.store('b'));
    await until(() => changes.length === 2);
    expect(changes.map((change) => change.revision)).toEqual([1, 2]);
  });
});

describe(whileJetStreamSettles.name, () => {
  it('calls again while JetStream answers "not now", and throws anything else at once', async () => {
    let calls = 0;
    const settles = () => {
      calls += 1;
      if (calls < 3) throw Object.assign(new Error('timeout'), { name: 'TimeoutError' });
      return Promise.resolve('bucket');
    };
    await expect(whileJetStreamSettles(() => Promise.resolve().then(settles), 5_000)).resolves.toBe(
      'bucket',
    );
    expect(calls).toBe(3);

    let refused = 0;
    const denied = () => {
      refused += 1;
      return Promise.reject(new Error('Permissions Violation for Publish'));
    };
    await expect(whileJetStreamSettles(denied, 5_000)).rejects.toThrow('Permissions Violation');
    expect(refused).toBe(1);
  });

  it('gives up with the last transient error after its time', async () => {
    const never = () => Promise.reject(new Error('no responders available for request'));
    await expect(whileJetStreamSettles(never, 150)).rejects.toThrow('no responders');
  });
});
