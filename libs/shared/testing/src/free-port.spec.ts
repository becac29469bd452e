import { createServer, type Server } from 'node:net';
import { freePort } from './free-port.js';

describe('freePort', () => {
  it('hands out distinct bindable ports below the ephemeral range', async () => {
    const ports = await Promise.all(Array.from({ length: 50 }, () => freePort()));
    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) expect(port).toBeLessThan(32_768);
    const servers = await Promise.all(ports.map(listen));
    await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  });
});

function listen(port: number): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
