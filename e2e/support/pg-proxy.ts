import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/**
 * A TCP proxy between the platform and PostgreSQL that a test can cut, as if PostgreSQL had
 * stopped: `cut()` drops every open connection and refuses new ones (ECONNREFUSED), without
 * touching the shared server; `restore()` listens again on the same port.
 */
export class PgProxy {
  private server: Server | undefined;
  private readonly open = new Set<Socket>();
  private readonly clients = new Set<Socket>();
  /** Client connections dropped by the cuts so far. */
  dropped = 0;

  private constructor(
    private readonly target: URL,
    private port = 0,
  ) {}

  /** A proxy to the server of `databaseUrl`, listening on a free loopback port. */
  static async start(databaseUrl: string): Promise<PgProxy> {
    const proxy = new PgProxy(new URL(databaseUrl));
    await proxy.restore();
    return proxy;
  }

  /** `databaseUrl` with the proxy's host and port. */
  get url(): string {
    const url = new URL(this.target);
    url.hostname = '127.0.0.1';
    url.port = String(this.port);
    return url.toString();
  }

  /** Listens (again, on the same port once it has one) and forwards every connection. */
  async restore(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.forward(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Stops listening and drops every open connection at once. */
  async cut(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise((resolve) => server.close(resolve));
    this.dropped += this.clients.size;
    for (const socket of this.open) socket.destroy();
    this.open.clear();
    await closed;
  }

  async close(): Promise<void> {
    await this.cut();
  }

  private forward(client: Socket): void {
    const upstream = new Socket();
    const pair = [client, upstream];
    this.clients.add(client);
    client.once('close', () => this.clients.delete(client));
    for (const socket of pair) {
      this.open.add(socket);
      socket.setNoDelay(true);
      socket.once('close', () => {
        this.open.delete(socket);
        for (const other of pair) other.destroy();
      });
      socket.on('error', () => undefined);
    }
    upstream.connect(Number(this.target.port || 5432), this.target.hostname, () => {
      client.pipe(upstream);
      upstream.pipe(client);
    });
  }
}
