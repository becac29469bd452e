import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { Msg } from '@nats-io/transport-node';
import { defineEvent, defineRpc, ErrorCodes, KV_BUCKETS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { commonConfig, readConfig } from '@loyalty-edge/config';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { EventPublisher, ensureStream } from '../src/event-publisher.js';
import { KvWatcher, kvDelete, kvGet, kvPut, openBucket } from '../src/kv.js';
import { NatsLink, inboxPrefix } from '../src/connection.js';
import { RpcClient } from '../src/rpc-client.js';

const Echo = defineRpc<{ text: string }, { echoed: string }>('test.echo.run');
const Fail = defineRpc<{ kind: string }, never>('test.fail.run');
const Silent = defineRpc<Record<string, never>, never>('test.nobody.home');
const Happened = defineEvent<{ n: number }>('test.thing.happened');

@Controller()
class EchoController {
  @MessagePattern(Echo.subject)
  echo(@Payload() data: { text: string }): { echoed: string } {
    return { echoed: data.text.toUpperCase() };
  }

  @MessagePattern(Fail.subject)
  fail(@Payload() data: { kind: string }): never {
    if (data.kind === 'app') throw new AppError('conflict', ErrorCodes.conflict, 'Already there');
    throw new Error('password=hunter2 in an unexpected error');
  }
}

@Module({ controllers: [EchoController] })
class EchoModule {}

const prefix = uniquePrefix();
const env = serviceEnv(prefix);
const config = readConfig(env, (reader) => commonConfig(reader, 'echo', 0));
let service: RunningService;
let link: NatsLink;
let rpc: RpcClient;

beforeAll(async () => {
  service = await runService({ config, rpc: true, imports: [EchoModule] });
  link = await NatsLink.open(config.nats, 'test');
  rpc = new RpcClient(link);
});

afterAll(async () => {
  await link.close();
  await service.close();
  await cleanUp(prefix);
});

describe(RpcClient.name, () => {
  it('sends a typed request to a prefixed subject and gets the result', async () => {
    expect(await rpc.request(Echo, { text: 'hi' })).toEqual({ echoed: 'HI' });
  });

  it('brings domain errors back as AppError and hides unexpected ones', async () => {
    await expect(rpc.request(Fail, { kind: 'app' })).rejects.toMatchObject({
      kind: 'conflict',
      message: 'Already there',
    });
    const hidden = await rpc.request(Fail, { kind: 'other' }).catch((error: unknown) => error);
    expect(hidden).toBeInstanceOf(AppError);
    expect(hidden).toMatchObject({ kind: 'internal', message: 'Internal error' });
  });

  it('fails with unavailable when nobody answers in time', async () => {
    await expect(rpc.request(Silent, {}, 200)).rejects.toMatchObject({ kind: 'unavailable' });
  });

  it('fails at once when nobody listens on the subject, not after the timeout', async () => {
    const started = Date.now();
    await expect(rpc.request(Silent, {}, 5000)).rejects.toMatchObject({ kind: 'unavailable' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('answers many requests made at once, each with its own reply', async () => {
    const texts = Array.from({ length: 200 }, (_, i) => `t${i}`);
    const replies = await Promise.all(texts.map((text) => rpc.request(Echo, { text })));
    expect(replies).toEqual(texts.map((text) => ({ echoed: text.toUpperCase() })));
  });

  it('ignores a reply that comes after its timeout', async () => {
    const slow = defineRpc<Record<string, never>, string>('test.slow.run');
    const subscription = link.connection.subscribe(link.subject(slow.subject), {
      callback: (_error, message) => {
        setTimeout(() => message.respond(JSON.stringify({ ok: 'late' })), 300);
      },
    });
    await expect(rpc.request(slow, {}, 100)).rejects.toMatchObject({ kind: 'unavailable' });
    await new Promise((resolve) => setTimeout(resolve, 400));
    subscription.unsubscribe();
    expect(await rpc.request(Echo, { text: 'after' })).toEqual({ echoed: 'AFTER' });
  });

  it('fails with unavailable, without throwing elsewhere, once its connection is closed', async () => {
    const closing = await NatsLink.open(config.nats, 'closing');
    const client = new RpcClient(closing);
    await closing.close();
    await expect(client.request(Echo, { text: 'x' }, 500)).rejects.toMatchObject({
      kind: 'unavailable',
    });
  });

  it('does not answer another prefix', async () => {
    const other = await NatsLink.open({ ...config.nats, prefix: `${prefix}x` }, 'other');
    await expect(new RpcClient(other).request(Echo, { text: 'x' }, 200)).rejects.toMatchObject({
      kind: 'unavailable',
    });
    await other.close();
  });
});

describe(KvWatcher.name, () => {
  it('delivers the current values, signals the sync, then every change', async () => {
    const kv = await openBucket(link, KV_BUCKETS.workspaces);
    await kvPut(kv, 'a', { v: 1 });
    await kvPut(kv, 'b', { v: 2 });
    const seen = new Map<string, unknown>();
    const watcher = new KvWatcher<{ v: number }>(kv, (change) =>
      seen.set(change.key, change.value),
    );
    await watcher.start();
    await watcher.synced;
    expect(Object.fromEntries(seen)).toEqual({ a: { v: 1 }, b: { v: 2 } });
    await kvPut(kv, 'a', { v: 3 });
    await kvDelete(kv, 'b');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(Object.fromEntries(seen)).toEqual({ a: { v: 3 }, b: undefined });
    expect(await kvGet(kv, 'b')).toBeUndefined();
    watcher.stop();
  });

  it('is synced at once on an empty bucket', async () => {
    const kv = await openBucket(link, KV_BUCKETS.jwks);
    const watcher = new KvWatcher(kv, () => undefined);
    await watcher.start();
    await expect(
      Promise.race([
        watcher.synced.then(() => 'synced'),
        new Promise((r) => setTimeout(() => r('late'), 1000)),
      ]),
    ).resolves.toBe('synced');
    watcher.stop();
  });
});

describe(EventPublisher.name, () => {
  it('publishes to the stream without blocking, deduplicating by id', async () => {
    const stream = await ensureStream(link, { name: 'TEST', subjects: 'test.>' });
    const publisher = new EventPublisher(link);
    expect(publisher.publish(Happened, { n: 1 }, 'id-1')).toBe(true);
    expect(publisher.publish(Happened, { n: 1 }, 'id-1')).toBe(true);
    expect(publisher.publish(Happened, { n: 2 }, 'id-2')).toBe(true);
    await publisher.flush();
    const info = await (await jetstreamManager(link.connection)).streams.info(stream);
    expect(info.state.messages).toBe(2);
    await publisher.close();
  });

  it('drops and counts events past its capacity', () => {
    let drops = 0;
    const publisher = new EventPublisher(link, {
      capacity: 2,
      concurrency: 1,
      onDrop: () => (drops += 1),
    });
    const accepted = [1, 2, 3, 4, 5].map((n) => publisher.publish(Happened, { n }));
    expect(accepted.filter((ok) => !ok).length).toBeGreaterThanOrEqual(2);
    expect(publisher.droppedCount).toBe(drops);
  });

  it('counts a batch against its capacity, and as all of its events when dropped', () => {
    const dropped: number[] = [];
    const publisher = new EventPublisher(link, {
      capacity: 10,
      concurrency: 1,
      onDrop: (events) => dropped.push(events),
    });
    // the first is in flight at once; the next two wait in the buffer (8 of 10 events)
    const accepted = [1, 2, 3, 4].map((n) => publisher.publish(Happened, { n }, `batch-${n}`, 4));
    expect(accepted).toEqual([true, true, true, false]);
    expect(dropped).toEqual([4]);
    expect(publisher.droppedCount).toBe(4);
  });
});

describe('reply inboxes', () => {
  /** Copies of every message on `subject` (seen by a second connection, like the server sees them). */
  async function observe(subject: string): Promise<{ seen: Msg[]; stop: () => Promise<void> }> {
    const spy = await NatsLink.open(config.nats, 'spy');
    const seen: Msg[] = [];
    spy.connection.subscribe(subject, {
      callback: (error, message) => {
        if (!error) seen.push(message);
      },
    });
    await spy.connection.flush();
    return { seen, stop: () => spy.close() };
  }

  it('names the inbox after the NATS user, or the app when NATS has no users', () => {
    expect(inboxPrefix('gateway')).toBe('_INBOX_gateway');
    expect(inboxPrefix('management-api')).toBe('_INBOX_management-api');
    // one token only: `a` must not be able to subscribe to the inbox of `a.b`
    for (const bad of ['a.b', '*', '>', 'a b', '']) expect(() => inboxPrefix(bad)).toThrow();
  });

  it('receives request replies on _INBOX_<name>', async () => {
    const { seen, stop } = await observe(link.subject(Echo.subject));
    await rpc.request(Echo, { text: 'inbox' });
    await stop();
    expect(seen.map((message) => message.reply)).toEqual([expect.stringMatching(/^_INBOX_test\./)]);
  });

  it('takes NATS_USER over the app name', async () => {
    // a server without users ignores the credentials; the inbox still follows NATS_USER
    const named = await NatsLink.open({ ...config.nats, user: 'someone', password: 'x' }, 'app');
    const { seen, stop } = await observe(link.subject(Echo.subject));
    await new RpcClient(named).request(Echo, { text: 'x' });
    await stop();
    await named.close();
    expect(seen[0]?.reply).toMatch(/^_INBOX_someone\./);
  });

  it('receives JetStream API answers, publish acks, watch and pull deliveries on _INBOX_<name>', async () => {
    const api = await observe('$JS.API.>');
    const published = await observe(link.subject('pull.>'));
    const kv = await openBucket(link, KV_BUCKETS.apiKeys);
    await kvPut(kv, 'k', { v: 1 });
    const watcher = new KvWatcher(kv, () => undefined);
    await watcher.start();
    await watcher.synced;
    const jsm = await jetstreamManager(link.connection);
    const deliver = (await jsm.consumers.list(`KV_${link.name(KV_BUCKETS.apiKeys)}`).next()).map(
      (consumer) => consumer.config.deliver_subject,
    );
    watcher.stop();

    // a durable pull consumer, as audit and loyalty-api use
    const name = await ensureStream(link, { name: 'PULL', subjects: 'pull.>' });
    await jsm.consumers.add(name, { durable_name: 'worker', ack_policy: AckPolicy.Explicit });
    const js = jetstream(link.connection);
    await js.publish(link.subject('pull.one'), new Uint8Array(0));
    const consumer = await js.consumers.get(name, 'worker');
    const message = await consumer.next({ expires: 2000 });
    message?.ack();
    await Promise.all([api.stop(), published.stop()]);

    // the ordered push consumer of the watch delivers to the inbox
    expect(deliver.length).toBeGreaterThan(0);
    for (const subject of deliver) expect(subject).toMatch(/^_INBOX_test\./);
    const ours = api.seen.filter((m) => m.subject.includes(`${prefix}_`));
    expect(ours.length).toBeGreaterThan(0);
    expect(ours.some((m) => m.subject.startsWith(`$JS.API.CONSUMER.MSG.NEXT.${name}.worker`))).toBe(
      true,
    );
    // API requests (stream and consumer info/create, direct get, the pull's MSG.NEXT)
    for (const m of ours) expect(m.reply).toMatch(/^_INBOX_test\./);
    // the publish waits for its ack on the inbox
    expect(published.seen.map((m) => m.reply)).toEqual([expect.stringMatching(/^_INBOX_test\./)]);
    expect(message?.subject).toBe(link.subject('pull.one'));
  });
});

describe('JetStream replicas', () => {
  it('creates streams and buckets with NATS_JS_REPLICAS copies (1 here: one server)', async () => {
    expect(link.replicas).toBe(1);
    const jsm = await jetstreamManager(link.connection);
    await openBucket(link, KV_BUCKETS.ipFilters);
    const stream = await ensureStream(link, { name: 'REPLICAS', subjects: 'replicas.>' });
    const bucketInfo = await jsm.streams.info(`KV_${link.name(KV_BUCKETS.ipFilters)}`);
    expect(bucketInfo.config.num_replicas).toBe(1);
    expect((await jsm.streams.info(stream)).config.num_replicas).toBe(1);
  });

  it('opens an expiring bucket (the replay bucket) with its TTL', async () => {
    await openBucket(link, 'escher_replay', { ttlMs: 60_000 });
    const info = await (
      await jetstreamManager(link.connection)
    ).streams.info(`KV_${link.name('escher_replay')}`);
    expect(info.config.max_age).toBe(60_000 * 1_000_000);
    expect(info.config.num_replicas).toBe(1);
  });

  it('refuses more copies than the servers can hold, with the reason', async () => {
    const three = await NatsLink.open({ ...config.nats, replicas: 3 }, 'three');
    await expect(ensureStream(three, { name: 'TOO_MANY', subjects: 'too-many.>' })).rejects.toThrow(
      /replicas|cluster|resources/i,
    );
    await three.close();
  });
});
