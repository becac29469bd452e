import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import type { EventContract } from '@loyalty-edge/contracts';
import type { NatsLink } from './connection.js';
import { settled } from './replicas.js';

interface Pending {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly id: string;
  /** Events the message carries (a batch carries several). */
  readonly events: number;
}

export interface PublisherOptions {
  /** Events kept while JetStream is slow or away; past this, new events are dropped and counted. */
  readonly capacity: number;
  /** Publishes in flight at once. */
  readonly concurrency: number;
  /** Called with the number of events lost (a dropped batch loses all of its events). */
  readonly onDrop?: (events: number) => void;
}

const encoder = new TextEncoder();

/**
 * Publishes events to JetStream without making the caller wait: `publish` puts the event in a
 * bounded buffer and returns at once; a pump drains the buffer, retrying while NATS is away.
 * Each event carries a message id, so a retry after a lost ack is deduplicated by the stream.
 */
export class EventPublisher {
  private readonly buffer: Pending[] = [];
  /** Events in `buffer` (a batch message counts as its events). */
  private buffered = 0;
  private readonly js: JetStreamClient;
  private pumping = false;
  private dropped = 0;
  private idle: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly link: NatsLink,
    private readonly options: PublisherOptions = { capacity: 10_000, concurrency: 32 },
  ) {
    this.js = jetstream(link.connection);
  }

  get droppedCount(): number {
    return this.dropped;
  }

  get pendingCount(): number {
    return this.buffer.length;
  }

  /**
   * Returns false when the message was dropped because the buffer is full. `events` is how many
   * events the message carries (a batch): they count against the capacity and as drops.
   */
  publish<P>(
    contract: EventContract<P>,
    payload: P,
    id: string = crypto.randomUUID(),
    events = 1,
  ): boolean {
    if (this.buffered + events > this.options.capacity || this.closed) {
      this.dropped += events;
      this.options.onDrop?.(events);
      return false;
    }
    const data = encoder.encode(JSON.stringify(payload));
    this.buffer.push({ subject: this.link.subject(contract.subject), data, id, events });
    this.buffered += events;
    if (!this.pumping) void this.pump();
    return true;
  }

  /** Resolves when everything buffered so far has been stored by JetStream. */
  async flush(): Promise<void> {
    if (this.buffer.length === 0 && !this.pumping) return;
    await new Promise<void>((resolve) => this.idle.push(resolve));
  }

  /** Waits up to `timeoutMs` for the buffer to drain, then stops; what is left is dropped. */
  async close(timeoutMs = 5000): Promise<void> {
    await Promise.race([this.flush(), new Promise((r) => setTimeout(r, timeoutMs).unref())]);
    this.closed = true;
    this.dropped += this.buffered;
    this.buffer.length = 0;
    this.buffered = 0;
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    let backoff = 50;
    while (this.buffer.length > 0 && !this.closed) {
      const batch = this.buffer.splice(0, this.options.concurrency);
      this.buffered -= count(batch);
      const results = await Promise.allSettled(
        batch.map((item) =>
          this.js.publish(item.subject, item.data, { msgID: item.id, timeout: 5000 }),
        ),
      );
      const failed = batch.filter((_, index) => results[index]?.status === 'rejected');
      if (failed.length > 0) {
        this.buffer.unshift(...failed);
        this.buffered += count(failed);
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, 2000);
      } else {
        backoff = 50;
      }
    }
    this.pumping = false;
    for (const resolve of this.idle.splice(0)) resolve();
  }
}

function count(items: readonly Pending[]): number {
  return items.reduce((sum, item) => sum + item.events, 0);
}

/**
 * Creates the stream if missing, with `link.replicas` copies (NATS_JS_REPLICAS), or brings an
 * existing one's subjects and limits up to date; idempotent, run at start. Its replicas are
 * raised to `link.replicas` when fewer, never lowered.
 */
export async function ensureStream(
  link: NatsLink,
  stream: { readonly name: string; readonly subjects: string },
  maxAgeSeconds = 7 * 24 * 3600,
): Promise<string> {
  const jsm = await jetstreamManager(link.connection);
  const name = link.name(stream.name);
  const config = {
    name,
    subjects: [link.subject(stream.subjects)],
    max_age: maxAgeSeconds * 1_000_000_000,
    duplicate_window: 120 * 1_000_000_000,
  };
  let current: number;
  try {
    current = (await jsm.streams.info(name)).config.num_replicas || 1;
  } catch (error) {
    if (!(error instanceof Error) || !/stream not found/i.test(error.message)) throw error;
    try {
      await jsm.streams.add({ ...config, num_replicas: link.replicas });
      if (link.replicas > 1) await settled(jsm, name);
      return name;
    } catch (raced) {
      // another replica created it first: fall through to the update
      if (!(raced instanceof Error) || !/already in use/i.test(raced.message)) throw raced;
      current = (await jsm.streams.info(name)).config.num_replicas || 1;
    }
  }
  await jsm.streams.update(name, { ...config, num_replicas: Math.max(current, link.replicas) });
  if (current < link.replicas) await settled(jsm, name);
  return name;
}
