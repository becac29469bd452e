import type { Consumer } from '@nats-io/jetstream';
import { watchConsumer } from './consumer-watchdog.js';

interface State {
  readonly delivered: number;
  readonly pending: number;
  readonly ackPending: number;
}

/** A consumer whose `info()` answers the next state, or fails as with NATS away. */
function consumerReporting(next: () => State | Error): Consumer {
  return {
    info: () => {
      const state = next();
      return state instanceof Error
        ? Promise.reject(state)
        : Promise.resolve({
            delivered: { consumer_seq: state.delivered },
            num_pending: state.pending,
            num_ack_pending: state.ackPending,
          });
    },
  } as unknown as Consumer;
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe(watchConsumer.name, () => {
  it('calls a consumer silent when events wait and nothing is delivered at two checks', async () => {
    let silent = 0;
    const stop = watchConsumer(
      consumerReporting(() => ({ delivered: 7, pending: 3, ackPending: 1 })),
      5,
      () => (silent += 1),
    );
    await sleep(80);
    stop();
    expect(silent).toBeGreaterThan(0);
  });

  it('leaves alone a consumer that delivers, one with nothing waiting, and one it cannot ask', async () => {
    let silent = 0;
    let delivered = 0;
    const stops = [
      watchConsumer(
        consumerReporting(() => ({ delivered: (delivered += 1), pending: 3, ackPending: 0 })),
        5,
        () => (silent += 1),
      ),
      watchConsumer(
        consumerReporting(() => ({ delivered: 7, pending: 0, ackPending: 0 })),
        5,
        () => (silent += 1),
      ),
      watchConsumer(
        consumerReporting(() => new Error('no responders')),
        5,
        () => (silent += 1),
      ),
    ];
    await sleep(80);
    for (const stop of stops) stop();
    expect(delivered).toBeGreaterThan(2);
    expect(silent).toBe(0);
  });
});
