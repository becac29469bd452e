import type { NatsLink } from '@loyalty-edge/nats';
import type { AuthClientRecord } from '@loyalty-edge/token-contracts';
import type { DataSource } from 'typeorm';
import type { AuthClientEntity } from './auth-client.entity.js';
import { CACHE_TTL_MS, ClientCache, NEGATIVE_TTL_MS } from './client-cache.js';

type Row = Pick<
  AuthClientEntity,
  'clientId' | 'workspaceId' | 'scopes' | 'audience' | 'expiresAt' | 'revokedAt' | 'secretHash'
>;

const ID = 'lec_AAAAAAAAAAAAAAAAAAAAAAAA';
const row = (overrides: Partial<Row> = {}): Row => ({
  clientId: ID,
  workspaceId: 'ws-1',
  scopes: ['loyalty.async_events'],
  audience: 'aud',
  expiresAt: new Date(Date.now() + 86_400_000),
  revokedAt: null,
  secretHash: Buffer.alloc(32, 1),
  ...overrides,
});
const record = (status: 'active' | 'revoked'): AuthClientRecord => ({
  workspaceId: 'ws-1',
  status,
  expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
  revokedAt: status === 'revoked' ? new Date().toISOString() : null,
});

/** A cache over a fake table; `hold` makes the next reads wait until released. */
function setUp(rows: Row[] = [row()]) {
  const table = new Map(rows.map((r) => [r.clientId, r]));
  let release: (() => void) | undefined;
  const dataSource = {
    getRepository: () => ({
      findOne: async ({ where }: { where: { clientId: string } }) => {
        // what the table held when the query ran, answered possibly later
        const found = table.get(where.clientId) ?? null;
        if (release !== undefined) await new Promise<void>((resolve) => (release = resolve));
        return found;
      },
    }),
  } as unknown as DataSource;
  const cache = new ClientCache(dataSource, {} as NatsLink);
  return {
    cache,
    table,
    hold: () => (release = () => undefined),
    release: () => {
      const go = release;
      release = undefined;
      go?.();
    },
  };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe(ClientCache.name, () => {
  it('reads a client once, then serves it from memory until the TTL', async () => {
    const { cache } = setUp();
    expect(await cache.get(ID)).toMatchObject({ workspaceId: 'ws-1', revoked: false });
    await cache.get(ID);
    expect(cache.databaseReads).toBe(1);
    await cache.get(ID, Date.now() + CACHE_TTL_MS + 1);
    expect(cache.databaseReads).toBe(2);
  });

  it('shares one read among concurrent misses', async () => {
    const { cache } = setUp();
    const clients = await Promise.all([cache.get(ID), cache.get(ID), cache.get(ID)]);
    expect(clients.every((client) => client?.clientId === ID)).toBe(true);
    expect(cache.databaseReads).toBe(1);
  });

  it('remembers an unknown id only briefly', async () => {
    const { cache, table } = setUp([]);
    expect(await cache.get(ID)).toBeNull();
    expect(await cache.get(ID)).toBeNull();
    expect(cache.databaseReads).toBe(1);
    table.set(ID, row());
    expect(await cache.get(ID, Date.now() + NEGATIVE_TTL_MS + 1)).not.toBeNull();
  });

  it('applies a revoke from KV without a read, and never re-activates', async () => {
    const { cache } = setUp();
    await cache.get(ID);
    cache.apply(ID, record('revoked'));
    expect((await cache.get(ID))?.revoked).toBe(true);
    cache.apply(ID, record('active'));
    expect((await cache.get(ID))?.revoked).toBe(true);
    expect(cache.databaseReads).toBe(1);
  });

  it('forgets a deleted record, and a negative entry once the client appears', async () => {
    const { cache, table } = setUp([]);
    expect(await cache.get(ID)).toBeNull();
    table.set(ID, row());
    cache.apply(ID, record('active'));
    expect(await cache.get(ID)).not.toBeNull();
    cache.apply(ID, undefined);
    await cache.get(ID);
    expect(cache.databaseReads).toBe(3);
  });

  it('does not keep what it read when the client changed during the read', async () => {
    const { cache, table, hold, release } = setUp();
    hold();
    const pending = cache.get(ID);
    await tick();
    table.set(ID, row({ revokedAt: new Date() }));
    cache.apply(ID, record('revoked'));
    release();
    expect((await pending)?.revoked).toBe(true);
    expect(cache.databaseReads).toBe(2);
  });
});
