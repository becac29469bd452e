import type { RpcContract } from '@loyalty-edge/contracts';
import type { Jwks } from '@loyalty-edge/token-contracts';
import { TokenKeys } from '../policies/token-keys.js';
import { JwksRefresher } from './jwks-refresher.js';

const silent = { log: () => undefined, error: () => undefined, warn: () => undefined };

function refresher(answer: () => Promise<Jwks>): {
  refresh: JwksRefresher;
  calls: string[];
  clock: { now: number };
} {
  const calls: string[] = [];
  const clock = { now: 0 };
  const rpc = {
    request: <Req, Res>(contract: RpcContract<Req, Res>): Promise<Res> => {
      calls.push(contract.subject);
      return answer() as Promise<Res>;
    },
  };
  const keys = new TokenKeys(silent);
  return { refresh: new JwksRefresher(rpc, keys, 30_000, () => clock.now), calls, clock };
}

describe(JwksRefresher.name, () => {
  it('asks at most once per interval; concurrent callers share the refresh', async () => {
    const { refresh, calls, clock } = refresher(() => Promise.resolve({ keys: [] }));
    const first = refresh.refresh();
    expect(refresh.refresh()).toBe(first);
    await first;
    clock.now = 29_999;
    expect(refresh.refresh()).toBeUndefined();
    clock.now = 30_000;
    await refresh.refresh();
    expect(calls).toEqual(['token.jwks.get', 'token.jwks.get']);
  });

  it('counts a failed refresh against the interval too', async () => {
    const { refresh, calls, clock } = refresher(() => Promise.reject(new Error('no answer')));
    await refresh.refresh();
    clock.now = 1000;
    expect(refresh.refresh()).toBeUndefined();
    expect(calls).toHaveLength(1);
  });
});
