import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '@loyalty-edge/testing';

const BIN = process.env.NATS_SERVER_BIN ?? '/usr/sbin/nats-server';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.once('error', () => resolve(false));
    socket.connect(port, '127.0.0.1', () => {
      socket.destroy();
      resolve(true);
    });
  });
}

/**
 * A nats-server (JetStream, file store) of the test's own, to stop and start again on the same
 * port and store while the platform runs against it.
 */
export class PrivateNats {
  private child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly store: string,
  ) {}

  static async start(): Promise<PrivateNats> {
    if (!existsSync(BIN)) throw new Error(`nats-server not found at ${BIN}: set NATS_SERVER_BIN`);
    const nats = new PrivateNats(await freePort(), mkdtempSync(join(tmpdir(), 'le-nats-')));
    await nats.start();
    return nats;
  }

  get url(): string {
    return `nats://127.0.0.1:${this.port}`;
  }

  /** Starts the server; resolves once it accepts connections. */
  async start(): Promise<void> {
    this.child = spawn(
      BIN,
      ['-a', '127.0.0.1', '-p', String(this.port), '-js', '-sd', this.store],
      {
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i += 1) {
      if (await accepts(this.port)) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('nats-server did not start');
  }

  /** Kills the server at once (SIGKILL: no goodbye to the clients). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.store, { recursive: true, force: true });
  }
}
