import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import {
  AckPolicy,
  jetstream,
  jetstreamManager,
  type ConsumerMessages,
  type JsMsg,
} from '@nats-io/jetstream';
import { AUDIT_EVENT_SUBJECTS } from '@loyalty-edge/audit-contracts';
import { STREAMS } from '@loyalty-edge/contracts';
import { ensureStream, NatsLink } from '@loyalty-edge/nats';
import { Readiness } from '@loyalty-edge/observability';
import type { AuditConfig } from '../config.js';
import { AuditMetrics } from './audit-metrics.js';
import type { AuditRecord, RecordType, Rejection } from './audit-record.js';
import { AuditWriter, isDataError } from './audit-writer.js';
import { Batcher } from './batcher.js';
import { watchConsumer } from './consumer-watchdog.js';
import { parseMessage } from './parse-event.js';

export const CONSUMER_SETTINGS = 'AUDIT_CONSUMER_SETTINGS';
export type ConsumerSettings = AuditConfig['consumer'];

/** How long the stream waits before redelivering events the database could not take. */
const RETRY_DELAY_MS = 5000;
/** How often a running consumer is checked for silence (see watchConsumer). */
const WATCH_EVERY_MS = 3000;
const NANOS_PER_MS = 1_000_000;

/** A message whose records are to be stored, acknowledged once they are. */
interface Accepted {
  readonly message: JsMsg;
  readonly records: readonly AuditRecord[];
}

/**
 * The AUDIT stream with event subjects only. STREAMS.audit says `audit.>`, which also captures
 * this service's request subjects (the stream then answers `audit.changes.list` with a publish
 * ack). Until STREAMS.audit itself says `audit.*.recorded` (requested), the name is shared and
 * the subjects are narrowed here.
 */
const AUDIT_STREAM = { name: STREAMS.audit.name, subjects: AUDIT_EVENT_SUBJECTS };

/**
 * Moves audit events from the AUDIT stream into PostgreSQL: a durable pull consumer with explicit
 * acks parses each message as it arrives (while the previous batch is being written) and feeds a
 * batcher; each batch is written in one transaction and acknowledged only after the commit, so a
 * crash means redelivery (harmless: writes are idempotent by event id), never loss.
 */
@Injectable()
export class AuditConsumer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditConsumer.name);
  private readonly batcher: Batcher<Accepted>;
  private readonly durable: string;
  private streamName = '';
  private messages: ConsumerMessages | undefined;
  private running = false;
  private stopping = false;

  constructor(
    private readonly link: NatsLink,
    private readonly writer: AuditWriter,
    private readonly metrics: AuditMetrics,
    private readonly readiness: Readiness,
    @Inject(CONSUMER_SETTINGS) private readonly settings: ConsumerSettings,
  ) {
    this.durable = link.name('audit_writer');
    this.batcher = new Batcher(
      { maxSize: settings.batchSize, maxWaitMs: settings.batchWaitMs },
      (items) => this.handle(items),
      (error) => this.logger.error({ msg: 'batch handling failed', code: codeOf(error) }),
    );
  }

  /** A method, not a field read: the flag changes while the supervisor awaits. */
  private stopped(): boolean {
    return this.stopping;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.add('consumer', () => this.running);
    await this.ensureConsumer();
    const jsm = await jetstreamManager(this.link.connection);
    this.metrics.pendingReader = async () => {
      const info = await jsm.consumers.info(this.streamName, this.durable);
      return info.num_pending + info.num_ack_pending;
    };
    void this.supervise();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await this.messages?.close();
    // what was delivered is written and acknowledged before NATS and the database close
    await this.batcher.drain();
  }

  /** Creates the stream and the durable consumer, or brings their settings up to date. */
  private async ensureConsumer(): Promise<void> {
    const { streamMaxAgeDays, ackWaitSeconds, maxAckPending } = this.settings;
    this.streamName = await ensureStream(this.link, AUDIT_STREAM, streamMaxAgeDays * 86_400);
    const jsm = await jetstreamManager(this.link.connection);
    const config = {
      durable_name: this.durable,
      // events only, even where the stream still captures `audit.>`
      filter_subject: this.link.subject(AUDIT_EVENT_SUBJECTS),
      ack_policy: AckPolicy.Explicit,
      ack_wait: ackWaitSeconds * 1000 * NANOS_PER_MS,
      max_ack_pending: maxAckPending,
    };
    try {
      // NATS 2.9 updates an existing durable's changeable settings on create
      await jsm.consumers.add(this.streamName, config);
    } catch {
      await jsm.consumers.update(this.streamName, this.durable, {
        ack_wait: config.ack_wait,
        max_ack_pending: maxAckPending,
      });
    }
  }

  /**
   * Keeps one `consume` running: it stops when the stream or consumer disappears (deleted by an
   * operator), and is then re-created after a pause. NATS reconnects are handled inside consume.
   */
  private async supervise(): Promise<void> {
    let first = true;
    while (!this.stopped()) {
      try {
        if (!first) await this.ensureConsumer();
        first = false;
        const consumer = await jetstream(this.link.connection).consumers.get(
          this.streamName,
          this.durable,
        );
        const messages = await consumer.consume({
          max_messages: Math.min(this.settings.batchSize * 2, this.settings.maxAckPending),
          abort_on_missing_resource: true,
          callback: (message) => this.receive(message),
        });
        this.messages = messages;
        if (this.stopped()) await messages.close();
        this.running = !this.stopped();
        const unwatch = watchConsumer(consumer, WATCH_EVERY_MS, () => {
          this.logger.warn({ msg: 'audit consumer silent with events waiting: reopened' });
          this.metrics.consumerReopened.inc();
          void messages.close();
        });
        const ended = await messages.closed().finally(unwatch);
        if (ended instanceof Error && !this.stopped()) {
          this.logger.warn({ msg: 'audit consumer stopped', reason: ended.message });
        }
      } catch (error) {
        if (!this.stopped()) {
          this.logger.warn({ msg: 'audit consumer not running', reason: reasonOf(error) });
        }
      }
      this.running = false;
      if (!this.stopped()) await new Promise((resolve) => setTimeout(resolve, 1000).unref());
    }
  }

  /**
   * Parses a message as it arrives, so that parsing overlaps the write of the batch before: what
   * can never be stored is set aside at once, the rest waits in the batcher.
   */
  private receive(message: JsMsg): void {
    const parsed = parseMessage(this.unprefixed(message.subject), message.data, this.metrics);
    if ('rejected' in parsed) {
      this.setAside(message, parsed.rejected);
      return;
    }
    if (parsed.refused > 0) this.refuseEntries(message, 'invalid', parsed.refused);
    if (parsed.records.length === 0) message.ack();
    else this.batcher.add({ message, records: parsed.records });
  }

  private async handle(accepted: Accepted[]): Promise<void> {
    const started = performance.now();
    this.metrics.batchSize.observe(accepted.length);
    try {
      this.count(await this.writer.write(accepted.flatMap((item) => item.records)));
      for (const { message } of accepted) message.ack();
    } catch (error) {
      this.metrics.writeFailures.inc();
      this.logger.warn({ msg: 'batch write failed, retrying event by event', code: codeOf(error) });
      await this.writeOneByOne(accepted);
    }
    this.metrics.batchSeconds.observe((performance.now() - started) / 1000);
  }

  /**
   * Isolates events the database refuses (an entry of a token-log batch on its own, its
   * neighbours still stored); stops at the first failure that is not theirs.
   */
  private async writeOneByOne(items: readonly Accepted[]) {
    for (const [index, { message, records }] of items.entries()) {
      let unstorable = 0;
      for (const record of records) {
        try {
          this.count(await this.writer.write([record]));
        } catch (error) {
          if (isDataError(error)) {
            unstorable += 1;
            continue;
          }
          this.logger.warn({ msg: 'audit store unavailable', code: codeOf(error) });
          // entries already stored are skipped by id when the message comes back
          for (const rest of items.slice(index)) rest.message.nak(RETRY_DELAY_MS);
          return;
        }
      }
      if (unstorable === records.length) {
        this.setAside(message, 'unstorable');
        continue;
      }
      if (unstorable > 0) this.refuseEntries(message, 'unstorable', unstorable);
      message.ack();
    }
  }

  /** A message that can never be stored: logged by subject only (never the payload), dropped. */
  private setAside(message: JsMsg, reason: Rejection): void {
    this.logger.warn({ msg: 'audit event refused', subject: message.subject, reason });
    this.metrics.reject(reason);
    // no reason text: NATS 2.9 only knows a bare +TERM
    message.term();
  }

  /** Entries of a batch that can never be stored, while the rest of it is: counted, logged. */
  private refuseEntries(message: JsMsg, reason: Rejection, entries: number): void {
    this.logger.warn({ msg: 'audit events refused', subject: message.subject, reason, entries });
    this.metrics.reject(reason, entries);
  }

  private count(written: ReadonlyMap<RecordType, number>): void {
    for (const [type, rows] of written) if (rows > 0) this.metrics.written.inc({ type }, rows);
  }

  private unprefixed(subject: string): string {
    const prefix = `${this.link.prefix}.`;
    return subject.startsWith(prefix) ? subject.slice(prefix.length) : subject;
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.name) : 'unknown error';
}

/** A database error's SQLSTATE (never its message or parameters: they quote the event). */
function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'unknown';
}
