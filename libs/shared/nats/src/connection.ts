import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { CommonConfig } from '@loyalty-edge/config';

export type NatsSettings = CommonConfig['nats'];

/**
 * Connects once, then reconnects forever: a service keeps running (and the gateway keeps
 * enforcing what it has) while NATS is away. Tracks whether the link is up for /readyz.
 */
export class NatsLink {
  private up = true;

  private constructor(
    readonly connection: NatsConnection,
    readonly prefix: string,
    readonly requestTimeoutMs: number,
  ) {
    void this.track();
  }

  static async open(settings: NatsSettings, name: string): Promise<NatsLink> {
    const connection = await connect({
      servers: settings.url.split(','),
      name,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 250,
      timeout: 5000,
      ...(settings.user === undefined ? {} : { user: settings.user, pass: settings.password }),
    });
    return new NatsLink(connection, settings.prefix, settings.requestTimeoutMs);
  }

  /** `credentials.api-key.generate` → `le.credentials.api-key.generate`. */
  subject(subject: string): string {
    return `${this.prefix}.${subject}`;
  }

  /** JetStream names allow no dots: `api_keys` → `le_api_keys`. */
  name(name: string): string {
    return `${this.prefix}_${name}`;
  }

  get connected(): boolean {
    return this.up && !this.connection.isClosed();
  }

  async close(): Promise<void> {
    if (!this.connection.isClosed()) await this.connection.drain();
  }

  private async track(): Promise<void> {
    for await (const status of this.connection.status()) {
      if (status.type === 'disconnect') this.up = false;
      if (status.type === 'reconnect') this.up = true;
    }
  }
}
