import { createServer, connect, type Server, type Socket } from 'node:net';
import { cleanUp, uniquePrefix } from '@loyalty-edge/testing';
import { openDatabase } from '../src/data-source.js';
import { isDatabaseUnreachable } from '../src/unreachable.js';

/**
 * A TCP relay to PostgreSQL that can be partitioned: from then on it keeps every connection open
 * and silently drops what either side sends (no reset, no FIN), as a lost network route would.
 */
class PartitionableRelay {
  partitioned = false;
  private readonly sockets = new Set<Socket>();
  private readonly server: Server;

  constructor(private readonly target: URL) {
    this.server = createServer((client) => {
      const upstream = connect(Number(target.port || 5432), target.hostname);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('error', () => socket.destroy());
        socket.on('close', () => this.sockets.delete(socket));
      }
      client.on('data', (chunk: Buffer) => {
        if (!this.partitioned) upstream.write(chunk);
      });
      upstream.on('data', (chunk: Buffer) => {
        if (!this.partitioned) client.write(chunk);
      });
    });
  }

  async listen(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    const address = this.server.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    const url = new URL(this.target);
    url.host = `127.0.0.1:${address.port}`;
    return url.toString();
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const prefix = uniquePrefix();
const relay = new PartitionableRelay(new URL(process.env.DATABASE_URL ?? ''));

afterAll(async () => {
  await relay.close();
  await cleanUp(prefix);
});

describe('a partitioned network to PostgreSQL', () => {
  it('fails a waiting query and a new connection within their timeouts, as unreachable', async () => {
    const dataSource = await openDatabase({
      url: await relay.listen(),
      schema: `${prefix}_partition`,
      entities: [],
      migrations: [],
      poolSize: 2,
      connectTimeoutMs: 1_500,
      queryTimeoutMs: 500,
    });
    expect(await dataSource.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);

    relay.partitioned = true;
    let started = performance.now();
    const query: unknown = await dataSource.query('SELECT 2').catch((error: unknown) => error);
    const queryMs = performance.now() - started;
    expect(isDatabaseUnreachable(query)).toBe(true);
    expect(queryMs).toBeGreaterThanOrEqual(450);
    expect(queryMs).toBeLessThan(3_000);

    // whichever connection the pool gives next (idle or new) is cut off as well
    started = performance.now();
    const connecting: unknown = await dataSource.query('SELECT 3').catch((error: unknown) => error);
    expect(isDatabaseUnreachable(connecting)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5_000);

    relay.partitioned = false;
    await dataSource.destroy().catch(() => undefined);
  });
});
