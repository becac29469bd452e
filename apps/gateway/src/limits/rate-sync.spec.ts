import type { RateCountsMessage } from '@loyalty-edge/gateway-contracts';
import type { NatsLink } from '@loyalty-edge/nats';
import { RateCounter } from './rate-counter.js';
import { RateSync } from './rate-sync.js';

const MINUTE = 60_000;
const T0 = 29_000_000 * MINUTE;
const WIN = T0 / MINUTE;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

function world(connected = true): {
  sync: RateSync;
  counter: RateCounter;
  sent: RateCountsMessage[];
  clock: { now: number };
  link: { connected: boolean };
} {
  const sent: RateCountsMessage[] = [];
  const link = {
    connected,
    subject: (subject: string) => `le.${subject}`,
    connection: {
      publish: (subject: string, data: Uint8Array) => {
        expect(subject).toBe('le.gateway.rate-limit.counted');
        sent.push(JSON.parse(decoder.decode(data)) as RateCountsMessage);
      },
    },
  };
  const clock = { now: T0 };
  const counter = new RateCounter({ limitOf: () => 10 });
  const sync = new RateSync(link as unknown as NatsLink, counter, {
    intervalMs: 100,
    now: () => clock.now,
  });
  return { sync, counter, sent, clock, link };
}

const message = (value: unknown): { data: Uint8Array } => ({
  data: encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)),
});

describe(RateSync.name, () => {
  it('sends one message per tick with the counts that changed, an empty one otherwise', () => {
    const { sync, counter, sent } = world();
    counter.take('lek_a', 'ws', T0);
    counter.take('lek_a', 'ws', T0);
    counter.take('lek_b', 'ws', T0);
    sync.tick();
    sync.tick();
    expect(sent).toEqual([
      {
        replica: sync.replica,
        tick: T0,
        counts: [
          ['lek_a', WIN, 2],
          ['lek_b', WIN, 1],
        ],
      },
      { replica: sync.replica, tick: T0, counts: [] },
    ]);
  });

  it("adds the peers' counts, shares the budget with live peers and forgets silent ones", () => {
    const { sync, counter, clock } = world();
    sync.receive(message({ replica: 'peer-1', tick: T0, counts: [['lek_a', WIN, 7]] }));
    expect(counter.replicas).toBe(2);
    expect(counter.take('lek_a', 'ws', T0)).toMatchObject({ admitted: true, remaining: 2 });
    clock.now = T0 + 1001;
    sync.tick();
    expect([sync.peerCount, counter.replicas]).toEqual([0, 1]);
  });

  it('ignores its own messages and anything malformed', () => {
    const { sync, counter } = world();
    sync.receive(message({ replica: sync.replica, tick: T0, counts: [['lek_a', WIN, 9]] }));
    sync.receive(message('not json'));
    sync.receive(message({ replica: 42, tick: T0, counts: [] }));
    sync.receive(message({ replica: 'peer-2', counts: [['lek_a', WIN, 9]] }));
    sync.receive(
      message({
        replica: 'peer-1',
        tick: T0,
        counts: [
          ['lek_a', WIN, -5],
          ['lek_a', 'now', 5],
          ['lek_a', WIN],
          [{}, WIN, 5],
          ['x'.repeat(300), WIN, 5],
          ['lek_a', WIN + 7, 5],
        ],
      }),
    );
    expect(sync.peerCount).toBe(1);
    expect(counter.take('lek_a', 'ws', T0)).toMatchObject({ admitted: true, remaining: 9 });
  });

  it('publishes nothing while NATS is away, then announces every count again', () => {
    const { sync, counter, sent, link } = world(false);
    counter.take('lek_a', 'ws', T0);
    sync.tick();
    expect(sent).toEqual([]);
    link.connected = true;
    sync.tick();
    expect(sent).toEqual([{ replica: sync.replica, tick: T0, counts: [['lek_a', WIN, 1]] }]);
  });

  it("waits at each tick until every live peer's counts of it are in", () => {
    const { sync, counter, clock } = world();
    sync.receive(message({ replica: 'peer-1', tick: T0, counts: [] }));
    sync.receive(message({ replica: 'peer-2', tick: T0, counts: [] }));
    clock.now = T0 + 100;
    sync.tick(T0 + 100);
    expect(counter.awaiting).toBe(true);
    sync.receive(message({ replica: 'peer-1', tick: T0 + 100, counts: [] }));
    sync.receive(message({ replica: 'peer-2', tick: T0 + 100, counts: [], more: true }));
    expect(counter.awaiting).toBe(true);
    sync.receive(message({ replica: 'peer-2', tick: T0 + 100, counts: [] }));
    expect(counter.awaiting).toBe(false);
    // a peer that ticked first has already sent them: nothing to wait for
    sync.receive(message({ replica: 'peer-1', tick: T0 + 200, counts: [] }));
    sync.receive(message({ replica: 'peer-2', tick: T0 + 200, counts: [] }));
    sync.tick(T0 + 200);
    expect(counter.awaiting).toBe(false);
    sync.stop();
  });

  it('stops waiting for a peer once it is forgotten (silent for a second)', () => {
    const { sync, counter, clock } = world();
    sync.receive(message({ replica: 'peer-1', tick: T0, counts: [] }));
    sync.tick(T0 + 100);
    expect(counter.awaiting).toBe(true);
    clock.now = T0 + 1100;
    sync.tick(T0 + 1100);
    expect([counter.awaiting, counter.replicas]).toEqual([false, 1]);
  });
});
