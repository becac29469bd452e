import type { RpcClient } from '@loyalty-edge/nats';
import { DerivedKeyCache } from './derived-keys.js';

function cache(): { keys: DerivedKeyCache; calls: string[] } {
  const calls: string[] = [];
  const rpc = {
    request: (_contract: unknown, data: { apiKey: string; shortDate: string }) => {
      calls.push(`${data.apiKey}|${data.shortDate}`);
      return Promise.resolve({
        workspaceId: 'ws',
        signingKey: Buffer.from('k').toString('base64'),
      });
    },
  } as unknown as RpcClient;
  return { keys: new DerivedKeyCache(rpc, 300_000), calls };
}

describe(DerivedKeyCache.name, () => {
  it('asks once for concurrent misses and keeps the key until its day is over', async () => {
    const { keys, calls } = cache();
    await Promise.all([
      keys.fetch('lek_a', '20261130', 'SHA256'),
      keys.fetch('lek_a', '20261130', 'SHA256'),
    ]);
    expect(calls).toEqual(['lek_a|20261130']);
    expect(keys.get('lek_a', '20261130', 'SHA256', Date.UTC(2026, 10, 30, 23, 59))).toBeDefined();
    expect(keys.get('lek_a', '20261130', 'SHA256', Date.UTC(2026, 11, 1, 0, 6))).toBeUndefined();
  });

  it('evicts an api key on credential change and sweeps days that are over', async () => {
    const { keys } = cache();
    await keys.fetch('lek_a', '20261129', 'SHA256');
    await keys.fetch('lek_b', '20261130', 'SHA256');
    keys.evict('lek_b');
    expect(keys.get('lek_b', '20261130', 'SHA256', Date.UTC(2026, 10, 30))).toBeUndefined();
    keys.sweep(Date.UTC(2026, 10, 30, 12));
    expect(keys.size).toBe(0);
  });
});
