import type { JsMsg } from '@nats-io/jetstream';
import { correlationIdOf, retryDelayMs } from './async-worker.js';

const message = (body: string): Pick<JsMsg, 'json'> => ({
  json: () => JSON.parse(body) as never,
});

describe(retryDelayMs.name, () => {
  it('starts at one second, doubles, and stops at a minute', () => {
    expect([1, 2, 3, 4].map(retryDelayMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelayMs(20)).toBe(60_000);
  });
});

describe(correlationIdOf.name, () => {
  it('reads the correlation id of a queue message', () => {
    const id = '0b9f5a3c-8d2e-4f61-9a7b-3c2d1e0f9a8b';
    expect(correlationIdOf(message(JSON.stringify({ correlation_id: id })))).toBe(id);
  });

  it.each(['not json', '{}', '{"correlation_id":"x"}', '{"correlation_id":42}'])(
    'returns null for %p',
    (body) => {
      expect(correlationIdOf(message(body))).toBeNull();
    },
  );
});
