import { randomUUID } from 'node:crypto';
import { AuditEvents, type TokenEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';

export interface TokenLogOptions {
  /** A batch is sent once it holds this many entries... */
  readonly maxEvents: number;
  /** ...or this long after its first entry. */
  readonly maxWaitMs: number;
}

/**
 * The token log of one gateway: entries are sent to the AUDIT stream in batches (one JetStream
 * publish and ack per batch, not per token request), each batch within `maxWaitMs`. The
 * publisher buffers, retries and deduplicates by the batch id; a batch it cannot keep is
 * counted as that many dropped events.
 */
export class TokenLog {
  private events: TokenEvent[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly options: TokenLogOptions = { maxEvents: 100, maxWaitMs: 50 },
  ) {}

  record(event: TokenEvent): void {
    this.events.push(event);
    if (this.events.length >= this.options.maxEvents) {
      this.flush();
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => this.flush(), this.options.maxWaitMs);
      this.timer.unref();
    }
  }

  /** Hands what is collected to the publisher now (at shutdown, before the publisher closes). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const events = this.events;
    if (events.length === 0) return;
    this.events = [];
    const id = randomUUID();
    this.publisher.publish(
      AuditEvents.tokenBatch,
      { id, at: new Date().toISOString(), events },
      id,
      events.length,
    );
  }
}
