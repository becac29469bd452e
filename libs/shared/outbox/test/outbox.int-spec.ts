import pg from 'pg';
import { within } from '@loyalty-edge/testing';
import { KvOutbox } from '../src/index.js';
import { BUCKET, change, Gate, OutboxHarness, source, valueOf } from './harness.js';

const h = new OutboxHarness();

afterAll(() => h.stop());

async function sql<T>(text: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text.replaceAll('$schema', `"${h.schema}"`), params)).rows as T[];
  } finally {
    await client.end();
  }
}

describe(KvOutbox.name, () => {
  it('publishes a change as soon as its transaction commits, with no poll', async () => {
    const replica = await h.replica([source()], { pollMs: 60_000 });
    const kv = await h.bucket();
    const seen = new Map<string, number>();
    const watch = await kv.watch({ key: '>' });
    void (async () => {
      for await (const entry of watch) seen.set(entry.key, performance.now());
    })();
    const times: number[] = [];
    for (let i = 0; i < 20; i += 1) {
      const ticket = await replica.dataSource.transaction((manager) =>
        replica.outbox.put(manager, BUCKET, `fast${i}`, { n: i }),
      );
      const committed = performance.now();
      expect(await replica.outbox.settled(ticket)).toBe(true);
      await within(1000, () => Promise.resolve(seen.has(`fast${i}`)));
      times.push((seen.get(`fast${i}`) ?? 0) - committed);
    }
    watch.stop();
    times.sort((a, b) => a - b);
    process.stdout.write(
      `commit → watcher: p50 ${times[10]?.toFixed(1)} ms, max ${times[19]?.toFixed(1)} ms (20 changes)\n`,
    );
    expect(times[19]).toBeLessThan(200);
    expect(await valueOf(kv, 'fast7')).toEqual({ n: 7 });
    await replica.stop();
  });

  it('publishes nothing of a rolled-back transaction', async () => {
    const replica = await h.replica([source()]);
    await expect(
      replica.dataSource.transaction(async (manager) => {
        await replica.outbox.put(manager, BUCKET, 'never', { n: 1 });
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await replica.outbox.flush();
    expect(await valueOf(await h.bucket(), 'never')).toBeUndefined();
    expect(await sql(`SELECT 1 FROM $schema.kv_outbox WHERE key = 'never'`)).toEqual([]);
    await replica.stop();
  });

  it('refuses a write outside a transaction, to a bucket not registered, or with a bad key', async () => {
    const replica = await h.replica([source()], {}, false);
    await expect(replica.outbox.put(replica.dataSource.manager, BUCKET, 'k', {})).rejects.toThrow(
      'open transaction',
    );
    await expect(
      replica.dataSource.transaction((m) => replica.outbox.put(m, 'jwks', 'k', {})),
    ).rejects.toThrow('not registered');
    await expect(
      replica.dataSource.transaction((m) => replica.outbox.put(m, BUCKET, 'a b', {})),
    ).rejects.toThrow('invalid KV key');
    await replica.stop();
  });

  it('publishes pending changes in order, coalescing those of one key to the latest', async () => {
    const gate = new Gate();
    const replica = await h.replica([source()], { wrapPublisher: gate.wrap });
    const kv = await h.bucket();
    gate.held = true;
    await change(replica, 'ord-a', { v: 1 });
    await change(replica, 'ord-b', { v: 1 });
    await change(replica, 'ord-a', { v: 2 });
    await change(replica, 'ord-c', { v: 1 });
    await change(replica, 'ord-a', { v: 3 });
    await change(replica, 'ord-b', undefined);
    const before = (await kv.status()).streamInfo.state.last_seq;
    gate.held = false;
    gate.puts = 0;
    await replica.outbox.flush();

    expect(gate.puts).toBe(3);
    expect(await valueOf(kv, 'ord-a')).toEqual({ v: 3 });
    expect(await valueOf(kv, 'ord-b')).toBeUndefined();
    expect(await valueOf(kv, 'ord-c')).toEqual({ v: 1 });
    // in the order of each key's latest change: c (4th), a (5th), b's delete (6th)
    const revisions = await Promise.all(
      ['ord-c', 'ord-a', 'ord-b'].map(async (key) => (await kv.get(key))?.revision ?? 0),
    );
    expect(revisions).toEqual([before + 1, before + 2, before + 3]);
    expect(
      await sql(`SELECT id FROM $schema.kv_outbox WHERE key LIKE 'ord-%' AND published_at IS NULL`),
    ).toEqual([]);
    await replica.stop();
  });

  it('retries with exponential back-off while publishing fails, then catches up', async () => {
    const gate = new Gate();
    const replica = await h.replica([source()], {
      wrapPublisher: gate.wrap,
      backoff: { baseMs: 40, maxMs: 400, jitter: 0 },
      pollMs: 60_000,
    });
    gate.held = true;
    gate.attempts = [];
    const ids = await change(replica, 'retry', { v: 1 });
    await within(5000, () => Promise.resolve(gate.attempts.length >= 6));
    gate.held = false;
    expect(await replica.outbox.settled({ ids }, 3000)).toBe(true);
    const gaps = gate.attempts.slice(1, 6).map((at, i) => at - (gate.attempts[i] ?? 0));
    process.stdout.write(`retry gaps: ${gaps.map((g) => g.toFixed(0)).join(', ')} ms\n`);
    [40, 80, 160, 320, 400].forEach((expected, i) => {
      expect(gaps[i]).toBeGreaterThanOrEqual(expected - 5);
      expect(gaps[i]).toBeLessThan(expected + 150);
    });
    expect(await valueOf(await h.bucket(), 'retry')).toEqual({ v: 1 });
    const text = (await replica.metrics.render()).body;
    expect(text).toMatch(/t_kv_outbox_publish_failures_total\{bucket="api_keys"\} [5-9]/);
    await replica.stop();
  });

  it('reports a backlog older than the bound on /readyz, with depth and age metrics', async () => {
    const gate = new Gate();
    const replica = await h.replica([source()], {
      wrapPublisher: gate.wrap,
      staleAfterMs: 300,
      pollMs: 50,
    });
    expect((await replica.readiness.evaluate()).checks.kv_outbox).toBe(true);
    gate.held = true;
    await change(replica, 'stale', { v: 1 });
    await within(3000, async () => !(await replica.readiness.evaluate()).ready);
    const text = (await replica.metrics.render()).body;
    expect(text).toContain('t_kv_outbox_depth{bucket="api_keys"} 1');
    const age = /t_kv_outbox_oldest_pending_seconds\{bucket="api_keys"\} ([\d.]+)/.exec(text);
    expect(Number(age?.[1])).toBeGreaterThan(0.3);
    gate.held = false;
    await within(3000, async () => (await replica.readiness.evaluate()).ready);
    await replica.stop();
  });

  it('lets one relay publish at a time, so two replicas never publish a key out of order', async () => {
    await sql('CREATE TABLE $schema.counter (n int NOT NULL)');
    await sql('INSERT INTO $schema.counter VALUES (0)');
    const publishing = new Map<number, number>();
    let overlaps = 0;
    const tracked = (index: number) => (gate: Gate) => (inner: Parameters<Gate['wrap']>[0]) => {
      const wrapped = gate.wrap(inner);
      return {
        ...wrapped,
        put: async (...args: Parameters<typeof wrapped.put>) => {
          publishing.set(index, (publishing.get(index) ?? 0) + 1);
          if ((publishing.get(1 - index) ?? 0) > 0) overlaps += 1;
          try {
            return await wrapped.put(...args);
          } finally {
            publishing.set(index, (publishing.get(index) ?? 0) - 1);
          }
        },
      };
    };
    const replicas = await Promise.all(
      [0, 1].map((index) =>
        h.replica([source()], { wrapPublisher: tracked(index)(new Gate()), pollMs: 20 }),
      ),
    );
    const kv = await h.bucket();
    const values: number[] = [];
    const watch = await kv.watch({ key: 'race' });
    void (async () => {
      for await (const entry of watch) {
        if (entry.operation === 'PUT') values.push(entry.json<{ n: number }>().n);
      }
    })();
    // each change takes the next counter value under its row lock: commit order = counter order
    const total = 200;
    await Promise.all(
      replicas.map(async (replica) => {
        for (let i = 0; i < total / 2; i += 1) {
          await replica.dataSource.transaction(async (manager) => {
            const [[row]] = await manager.query<[[{ n: number }], number]>(
              `UPDATE "${h.schema}".counter SET n = n + 1 RETURNING n`,
            );
            await replica.outbox.put(manager, BUCKET, 'race', { n: row.n });
          });
        }
      }),
    );
    await within(5000, () => Promise.resolve(values.at(-1) === total));
    watch.stop();
    process.stdout.write(
      `two relays: ${values.length} puts of ${total} changes reached the watcher (coalesced), never out of order\n`,
    );
    expect(values).toEqual([...values].sort((a, b) => a - b));
    expect(overlaps).toBe(0);
    await Promise.all(replicas.map((replica) => replica.stop()));
  });
});
