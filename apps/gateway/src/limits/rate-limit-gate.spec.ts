import type { Counter } from 'prom-client';
import type { Exchange } from '../proxy/exchange.js';
import type { Refusal } from '../proxy/refusal.js';
import { RateCounter } from './rate-counter.js';
import { addQuotaHeaders, RateLimitGate } from './rate-limit-gate.js';

function gate(limit: number): {
  gate: RateLimitGate;
  refused: Refusal[];
  counted: string[];
} {
  const refused: Refusal[] = [];
  const counted: string[] = [];
  const metric = {
    labels: (api: string) => ({ inc: () => counted.push(api) }),
  } as unknown as Counter<'api'>;
  const replies = {
    refuse: (_exchange: Exchange, answer: Refusal) => {
      refused.push(answer);
      return Promise.resolve();
    },
  };
  return {
    gate: new RateLimitGate(new RateCounter({ limitOf: () => limit }), replies, metric),
    refused,
    counted,
  };
}

const exchange = (fields: Partial<Exchange>): Exchange =>
  ({ api: 'events', workspaceId: 'ws', ...fields }) as Exchange;

describe(RateLimitGate.name, () => {
  it('admits within the limit, then answers 429 with Retry-After and RateLimit-*', () => {
    const { gate: limits, refused, counted } = gate(2);
    const first = exchange({ apiKey: 'lek_a' });
    expect(limits.admit(first)).toBe(true);
    expect(first.quota).toMatchObject({ admitted: true, limit: 2, remaining: 1 });
    expect(limits.admit(exchange({ apiKey: 'lek_a' }))).toBe(true);
    expect(limits.admit(exchange({ apiKey: 'lek_a' }))).toBe(false);
    expect(refused).toHaveLength(1);
    const [answer] = refused as [Refusal];
    expect(answer).toMatchObject({
      status: 429,
      type: 'TooManyRequestsException',
      code: 110429,
      message: 'Rate limit exceeded',
      decision: 'rate_limited',
      reason: 'rate_limited',
    });
    expect(answer.headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0' });
    expect(Number(answer.headers?.['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(answer.headers?.['ratelimit-reset']).toBe(answer.headers?.['retry-after']);
    expect(counted).toEqual(['events']);
  });

  it('counts a Bearer request by its auth client, apart from API keys', () => {
    const { gate: limits } = gate(1);
    expect(limits.admit(exchange({ clientId: 'lec_a', apiKey: undefined }))).toBe(true);
    expect(limits.admit(exchange({ clientId: 'lec_a' }))).toBe(false);
    expect(limits.admit(exchange({ apiKey: 'lek_a' }))).toBe(true);
  });

  it('lets everything through with no limit and sets no headers', () => {
    const { gate: limits } = gate(0);
    const request = exchange({ apiKey: 'lek_a' });
    expect(limits.admit(request)).toBe(true);
    expect(request.quota).toBeUndefined();
  });

  it('writes the quota as IETF RateLimit header fields', () => {
    const headers = ['content-type', 'application/json'];
    addQuotaHeaders(headers, { admitted: true, limit: 1500, remaining: 1499, resetSeconds: 42 });
    expect(headers).toEqual([
      'content-type',
      'application/json',
      'ratelimit-limit',
      '1500',
      'ratelimit-remaining',
      '1499',
      'ratelimit-reset',
      '42',
    ]);
  });
});
