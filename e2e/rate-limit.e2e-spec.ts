import { within } from '@loyalty-edge/testing';
import { ManagementClient } from './support/management.js';
import { startTestPlatform, type TestPlatform } from './support/platform.js';

let platform: TestPlatform;
let operator: ManagementClient;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: string;
}

/** A workspace with credentials, optionally with its own limit set first; its API key. */
async function workspace(id: string, requestsPerMinute?: number): Promise<string> {
  await operator.ok('POST', '/api/workspaces', { id, name: id });
  if (requestsPerMinute !== undefined) {
    await operator.ok('PUT', `/api/workspaces/${id}/rate-limit`, { requestsPerMinute });
  }
  const { apiKey } = await operator.ok<{ apiKey: string }>(
    'POST',
    `/api/workspaces/${id}/credentials`,
  );
  return apiKey;
}

/** `count` requests with one key, alternating between the gateway replicas, 32 at a time. */
async function send(apiKey: string, count: number, concurrency = 32): Promise<Answer[]> {
  const answers: Answer[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      const gateway = platform.gateways[next % platform.gateways.length] ?? '';
      next += 1;
      const response = await fetch(`${gateway}/customers/-/count?api_key=${apiKey}`);
      answers.push({
        status: response.status,
        headers: response.headers,
        body: await response.text(),
      });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return answers;
}

/** Waits until every replica knows the key; returns the answers it took (they count too). */
async function known(apiKey: string): Promise<Answer[]> {
  const answers: Answer[] = [];
  for (const gateway of platform.gateways) {
    await within(3000, async () => {
      const response = await fetch(`${gateway}/customers/-/count?api_key=${apiKey}`);
      answers.push({ status: response.status, headers: response.headers, body: '' });
      return response.status === 200;
    });
  }
  return answers;
}

const admitted = (answers: readonly Answer[]): number =>
  answers.filter((a) => a.status === 200).length;

beforeAll(async () => {
  platform = await startTestPlatform({ extraGateways: 1 });
  operator = await ManagementClient.login(
    platform.management,
    platform.admin.email,
    platform.admin.password,
  );
});

afterAll(async () => {
  await platform.shutdown();
});

describe('rate limit per API key across gateway replicas', () => {
  it('admits about 1,500 of 1,600 requests a minute in total over two replicas, then 429s', async () => {
    const apiKey = await workspace('burst');
    const started = performance.now();
    const warmUp = await known(apiKey);
    const answers = [...warmUp, ...(await send(apiKey, 1600 - warmUp.length))];
    const seconds = (performance.now() - started) / 1000;
    const total = admitted(answers);
    console.log(
      `1,600 requests over ${platform.gateways.length} replicas in ${seconds.toFixed(1)} s: ` +
        `${total} admitted, ${answers.length - total} refused with 429 (limit 1,500 per minute)`,
    );
    expect(seconds).toBeLessThan(60);
    expect(total).toBeGreaterThanOrEqual(1450);
    expect(total).toBeLessThanOrEqual(1560);
    const refused = answers.filter((a) => a.status === 429);
    expect(refused).toHaveLength(answers.length - total);
    for (const answer of refused) {
      expect(JSON.parse(answer.body)).toEqual({
        error: { type: 'TooManyRequestsException', code: 110429, message: 'Rate limit exceeded' },
      });
      expect(Number(answer.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(answer.headers.get('ratelimit-limit')).toBe('1500');
    }
    const first = answers.find((a) => a.status === 200);
    expect(first?.headers.get('ratelimit-limit')).toBe('1500');
    expect(Number(first?.headers.get('ratelimit-remaining'))).toBeGreaterThan(0);
  });

  it('limits a workspace at its own figure, set through the management API', async () => {
    const apiKey = await workspace('modest', 40);
    expect(await operator.ok('GET', '/api/workspaces/modest/rate-limit')).toMatchObject({
      requestsPerMinute: 40,
    });
    const answers = [...(await known(apiKey)), ...(await send(apiKey, 100, 8))];
    const total = admitted(answers);
    console.log(`a workspace limited to 40 per minute: ${total} of ${answers.length} admitted`);
    expect(total).toBeGreaterThanOrEqual(38);
    expect(total).toBeLessThanOrEqual(42);
    expect(answers.find((a) => a.status === 429)?.headers.get('ratelimit-limit')).toBe('40');
  });

  it('lists the refusals in the failed-call log of the workspace', async () => {
    await within(5000, async () => {
      const reply = await operator.call<{ items: { reason: string; status: number }[] }>(
        'GET',
        '/api/workspaces/modest/errors',
      );
      return reply.body.items.some((item) => item.status === 429 && item.reason === 'rate_limited');
    });
  });
});
