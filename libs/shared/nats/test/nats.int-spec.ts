import { Controller, Module } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { jetstreamManager } from '@nats-io/jetstream';
import { defineEvent, defineRpc, ErrorCodes, KV_BUCKETS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { commonConfig, readConfig } from '@loyalty-edge/config';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { EventPublisher, ensureStream } from '../src/event-publisher.js';
import { KvWatcher, kvDelete, kvGet, kvPut, openBucket } from '../src/kv.js';
import { NatsLink } from '../src/connection.js';
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
});
