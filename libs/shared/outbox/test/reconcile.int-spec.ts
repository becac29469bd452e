import { KvOutbox } from '../src/index.js';
import { BUCKET, change, Gate, OutboxHarness, source, valueOf } from './harness.js';

const h = new OutboxHarness();

afterAll(() => h.stop());

const revisionOf = async (key: string): Promise<number | undefined> =>
  (await (await h.bucket()).get(key))?.revision;

describe(`${KvOutbox.name} reconcile`, () => {
  it('repairs a deleted and an altered key, deletes a stranger, and leaves equal keys alone', async () => {
    const gate = new Gate();
    const replica = await h.replica([source()], { wrapPublisher: gate.wrap });
    for (const key of ['r-a', 'r-b', 'r-c', 'r-d']) await change(replica, key, { key });
    await change(replica, 'r-gone', { key: 'r-gone' });
    await change(replica, 'r-gone', undefined);
    await replica.outbox.flush();
    const kv = await h.bucket();
    const equal = { c: await revisionOf('r-c'), d: await revisionOf('r-d') };
    await kv.delete('r-a');
    await kv.put('r-b', JSON.stringify({ key: 'tampered' }));
    await kv.put('r-ghost', JSON.stringify({ key: 'r-ghost' }));
    await kv.put('r-gone', JSON.stringify({ key: 'back from the dead' }));

    gate.puts = 0;
    const [result] = await replica.outbox.reconcile();

    expect(result).toMatchObject({ bucket: BUCKET, scanned: true, queued: 4 });
    expect(gate.puts).toBe(4);
    expect(await valueOf(kv, 'r-a')).toEqual({ key: 'r-a' });
    expect(await valueOf(kv, 'r-b')).toEqual({ key: 'r-b' });
    expect(await valueOf(kv, 'r-ghost')).toBeUndefined();
    expect(await valueOf(kv, 'r-gone')).toBeUndefined();
    expect({ c: await revisionOf('r-c'), d: await revisionOf('r-d') }).toEqual(equal);

    // nothing changed since: the stream state alone shows it, no key is read or written
    gate.puts = 0;
    const [again] = await replica.outbox.reconcile();
    expect(again).toMatchObject({ scanned: false, queued: 0 });
    expect(gate.puts).toBe(0);
    await replica.stop();
  });

  it('repairs a key whose stream message was removed, which leaves the last sequence as it was', async () => {
    const gate = new Gate();
    const replica = await h.replica([source()], { wrapPublisher: gate.wrap });
    await change(replica, 'm-a', { v: 1 });
    await change(replica, 'm-b', { v: 1 });
    await replica.outbox.flush();
    const kv = await h.bucket();
    const { jetstreamManager } = await import('@nats-io/jetstream');
    const jsm = await jetstreamManager(replica.link.connection);
    const revision = (await kv.get('m-a'))?.revision ?? 0;
    await jsm.streams.deleteMessage(`KV_${h.prefix}_${BUCKET}`, revision);
    gate.puts = 0;
    const [result] = await replica.outbox.reconcile();
    expect(result).toMatchObject({ scanned: true, queued: 1 });
    expect(gate.puts).toBe(1);
    expect(await valueOf(kv, 'm-a')).toEqual({ v: 1 });
    await replica.stop();
  });

  it('never reconciles a bucket before its back-fill, even when a change is published first', async () => {
    const bucket = 'signature_enforcement' as const;
    const kv = await h.bucket(bucket);
    await kv.put('early-kept', JSON.stringify({ n: 1 }));
    const kept = (await kv.get('early-kept'))?.revision;
    const gate = new Gate();
    const records = [{ key: 'early-kept', value: { n: 1 } }];
    const replica = await h.replica(
      [source(() => records, bucket)],
      { wrapPublisher: gate.wrap },
      false,
    );
    // a change committed (and published) before the outbox started, as a provider's start-up may
    await change(replica, 'early-new', { n: 2 }, bucket);
    await replica.outbox.flush();
    // not started: no back-fill yet, so no reconcile either
    expect(await replica.outbox.reconcile()).toEqual([]);
    await replica.outbox.onApplicationBootstrap();
    expect((await kv.get('early-kept'))?.revision).toBe(kept);
    expect(await valueOf(kv, 'early-new')).toEqual({ n: 2 });
    expect(gate.puts).toBe(1);
    await replica.stop();
  });

  it('back-fills once at first start: adopts keys the bucket holds alike, writes only the others', async () => {
    const records = [
      { key: 'bf-same', value: { n: 1 } },
      { key: 'bf-differs', value: { n: 2 } },
      { key: 'bf-missing', value: { n: 3 } },
    ];
    const bucket = 'workspaces' as const;
    const kv = await h.bucket(bucket);
    // as the previous version left it: written after each commit, re-published at start
    await kv.put('bf-same', JSON.stringify({ n: 1 }));
    await kv.put('bf-differs', JSON.stringify({ n: 0 }));
    await kv.put('bf-stale', JSON.stringify({ n: 9 }));
    const same = (await kv.get('bf-same'))?.revision;

    const gate = new Gate();
    const first = await h.replica([source(() => records, bucket)], { wrapPublisher: gate.wrap });
    expect(gate.puts).toBe(3);
    expect((await kv.get('bf-same'))?.revision).toBe(same);
    expect(await valueOf(kv, 'bf-differs')).toEqual({ n: 2 });
    expect(await valueOf(kv, 'bf-missing')).toEqual({ n: 3 });
    expect(await valueOf(kv, 'bf-stale')).toBeUndefined();
    await first.stop();

    const again = new Gate();
    let snapshots = 0;
    const second = await h.replica(
      [
        {
          bucket,
          snapshot: () => {
            snapshots += 1;
            return Promise.resolve(records);
          },
        },
      ],
      { wrapPublisher: again.wrap },
    );
    expect(snapshots).toBe(0);
    expect(again.puts).toBe(0);
    await second.stop();
  });
});
