import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { JsMsg } from '@nats-io/jetstream';
import { describeError } from '@loyalty-edge/errors';
import type { AsyncEventQueued } from '@loyalty-edge/loyalty-contracts';
import { ASYNC_EVENTS_OPTIONS, type AsyncEventsOptions } from './async-events.options.js';
import { AsyncEventsService } from './async-events.service.js';
import { AsyncProcessor } from './async-processor.js';
import { AsyncQueue } from './async-queue.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Delay before an unexpected failure is retried: 1 s, doubling, at most a minute. */
export function retryDelayMs(deliveryCount: number): number {
  return Math.min(1000 * 2 ** Math.max(0, deliveryCount - 1), 60_000);
}

/** The correlation id a queue message names, or null when the message is malformed. */
export function correlationIdOf(message: Pick<JsMsg, 'json'>): string | null {
  try {
    const { correlation_id: id } = message.json<Partial<AsyncEventQueued>>();
    return typeof id === 'string' && UUID.test(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * Runs in every replica: the consumer loop (unless LOYALTY_ASYNC_WORKER=false) and a periodic
 * sweep that republishes what did not reach JetStream and refreshes the queue-depth gauge.
 */
@Injectable()
export class AsyncWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AsyncWorker.name);
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly queue: AsyncQueue,
    private readonly processor: AsyncProcessor,
    private readonly service: AsyncEventsService,
    @Inject(ASYNC_EVENTS_OPTIONS) private readonly options: AsyncEventsOptions,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.options.worker) await this.queue.start((message) => this.handle(message));
    this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.sweeping;
    await this.queue.stop();
  }

  private async handle(message: JsMsg): Promise<void> {
    const correlationId = correlationIdOf(message);
    if (correlationId === null) {
      message.term('malformed async event message');
      return;
    }
    try {
      await this.processor.process(correlationId, message.info.deliveryCount);
      message.ack();
    } catch (error) {
      this.logger.warn({
        msg: 'async event will be retried',
        correlationId,
        attempt: message.info.deliveryCount,
        error: describeError(error),
      });
      message.nak(retryDelayMs(message.info.deliveryCount));
    }
  }

  /** One sweep at a time, each after the previous one finished. */
  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.sweeping = this.sweep().finally(() => {
        this.sweeping = undefined;
        this.schedule();
      });
    }, this.options.sweepIntervalMs);
    this.timer.unref();
  }

  private async sweep(): Promise<void> {
    try {
      const republished = await this.service.sweep();
      if (republished > 0) this.logger.log({ msg: 'async events republished', republished });
      await this.service.measureQueue();
    } catch (error) {
      this.logger.warn({ msg: 'async sweep failed', error: describeError(error) });
    }
  }
}
