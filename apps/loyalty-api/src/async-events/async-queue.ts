import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JetStreamClient,
  type JsMsg,
} from '@nats-io/jetstream';
import { describeError } from '@loyalty-edge/errors';
import {
  LOYALTY_STREAMS,
  LoyaltyEvents,
  type AsyncEventQueued,
} from '@loyalty-edge/loyalty-contracts';
import { ensureStream, NatsLink } from '@loyalty-edge/nats';

const MS = 1_000_000; // nanoseconds per millisecond, JetStream's unit for durations
/** Unacknowledged this long (a worker died mid-event), a message is delivered again. */
export const ACK_WAIT_MS = 30_000;
const encoder = new TextEncoder();

/**
 * The JetStream side of async events: the `LOYALTY_ASYNC` stream, one durable pull consumer
 * shared by every replica's worker (so each message goes to one of them), and publishing. A
 * message carries only the correlation id; the message id is the correlation id as well, so a
 * republish within the stream's duplicate window is dropped by JetStream.
 */
@Injectable()
export class AsyncQueue implements OnModuleInit {
  private readonly logger = new Logger(AsyncQueue.name);
  private readonly js: JetStreamClient;
  private stream = '';
  private readonly durable: string;
  private messages: ConsumerMessages | undefined;
  private loop: Promise<void> | undefined;

  constructor(private readonly link: NatsLink) {
    this.js = jetstream(link.connection);
    this.durable = link.name('loyalty_async_worker');
  }

  async onModuleInit(): Promise<void> {
    this.stream = await ensureStream(this.link, LOYALTY_STREAMS.asyncEvents);
    const jsm = await jetstreamManager(this.link.connection);
    try {
      await jsm.consumers.info(this.stream, this.durable);
    } catch {
      await jsm.consumers.add(this.stream, {
        durable_name: this.durable,
        ack_policy: AckPolicy.Explicit,
        ack_wait: ACK_WAIT_MS * MS,
        max_deliver: -1,
        max_ack_pending: 1000,
        deliver_policy: DeliverPolicy.All,
        filter_subject: this.link.subject(LOYALTY_STREAMS.asyncEvents.subjects),
      });
    }
  }

  /** True when JetStream stored the message; false (logged) when it could not be published. */
  async publish(correlationId: string): Promise<boolean> {
    // while NATS is away, do not make the caller wait for a timeout: the sweep will publish
    if (!this.link.connected) return false;
    const message: AsyncEventQueued = { correlation_id: correlationId };
    try {
      await this.js.publish(
        this.link.subject(LoyaltyEvents.asyncEventQueued.subject),
        encoder.encode(JSON.stringify(message)),
        { msgID: correlationId, timeout: 2000 },
      );
      return true;
    } catch (error) {
      this.logger.warn({
        msg: 'async event not published',
        correlationId,
        error: describeError(error),
      });
      return false;
    }
  }

  /** Hands messages one at a time to `handle`, which acks or naks each; never throws. */
  async start(handle: (message: JsMsg) => Promise<void>): Promise<void> {
    const consumer = await this.js.consumers.get(this.stream, this.durable);
    const messages = await consumer.consume({ max_messages: 32 });
    this.messages = messages;
    this.loop = (async () => {
      for await (const message of messages) await handle(message);
    })();
  }

  /** Stops pulling and waits for the message in hand to be finished. */
  async stop(): Promise<void> {
    await this.messages?.close();
    await this.loop;
  }
}
