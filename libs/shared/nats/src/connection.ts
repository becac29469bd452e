import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { CommonConfig } from '@loyalty-edge/config';

export type NatsSettings = CommonConfig['nats'];

/**
 * The prefix of every reply inbox of a connection: `_INBOX_<user>`. Requests, JetStream API calls
 * and publish acks, KV watches (ordered push consumers deliver to an inbox) and pull consumers
 * all receive on `_INBOX_<user>.…`, so the NATS permissions can allow each user its own inbox
 * only (`_INBOX_<user>.>`, deploy/nats/permissions.mjs): no service can read the replies
 * addressed to another, such as the secret that credentials returns to signature.
 */
export function inboxPrefix(user: string): string {
  // one subject token: no wildcard, dot or whitespace (a NATS user name could hold them)
  if (!/^[^\s.*>]+$/.test(user)) {
    throw new Error(`NATS user ${JSON.stringify(user)} cannot name a reply inbox`);
  }
  return `_INBOX_${user}`;
}

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
    /** Copies of each stream and KV bucket this service creates (NATS_JS_REPLICAS). */
    readonly replicas: number,
    /** `_INBOX_<user>`: where this connection may receive replies. */
    readonly inbox: string,
  ) {
    void this.track();
  }

  /**
   * `name` is the app's name: the connection name, and the inbox owner when NATS has no users.
   * With users, replies come to `_INBOX_<settings.user>`.
   */
  static async open(settings: NatsSettings, name: string): Promise<NatsLink> {
    const inbox = inboxPrefix(settings.user ?? name);
    const connection = await connect({
      servers: settings.url.split(','),
      name,
      inboxPrefix: inbox,
      maxReconnectAttempts: -1,
      // nats.js otherwise builds an Error (a captured stack) for every request and every
      // request timer, in case one fails: a sixth of the gateway's CPU on the token path.
      // RpcClient turns a failed request into its own AppError anyway.
      noAsyncTraces: true,
      reconnectTimeWait: 250,
      timeout: 5000,
      ...(settings.user === undefined ? {} : { user: settings.user, pass: settings.password }),
    });
    return new NatsLink(
      connection,
      settings.prefix,
      settings.requestTimeoutMs,
      settings.replicas,
      inbox,
    );
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
