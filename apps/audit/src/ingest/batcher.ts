export interface BatcherOptions {
  /** A batch is flushed as soon as it holds this many items... */
  readonly maxSize: number;
  /** ...or this long after its oldest item arrived. */
  readonly maxWaitMs: number;
}

/**
 * Collects items into batches and hands them to `flush` one batch at a time (never two flushes
 * at once, so a slow database holds the next batch back instead of piling up writes). `flush`
 * is expected to handle its own errors; a rejection is passed to `onError` and the batch is gone.
 */
export class Batcher<T> {
  private buffer: T[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The oldest buffered item has waited maxWaitMs. */
  private due = false;
  private running = false;
  private draining = false;
  private idle: (() => void)[] = [];

  constructor(
    private readonly options: BatcherOptions,
    private readonly flush: (items: T[]) => Promise<void>,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  get size(): number {
    return this.buffer.length;
  }

  add(item: T): void {
    this.buffer.push(item);
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.due = true;
      this.kick();
    }, this.options.maxWaitMs);
    if (this.buffer.length >= this.options.maxSize) this.kick();
  }

  /** Flushes everything buffered now, without waiting for the timer; resolves when done. */
  async drain(): Promise<void> {
    this.draining = true;
    try {
      this.kick();
      if (this.running || this.buffer.length > 0) {
        await new Promise<void>((resolve) => this.idle.push(resolve));
      }
    } finally {
      this.draining = false;
    }
  }

  private ready(): boolean {
    if (this.buffer.length === 0) return false;
    return this.buffer.length >= this.options.maxSize || this.due || this.draining;
  }

  private kick(): void {
    if (this.running || !this.ready()) return;
    this.running = true;
    void this.run().finally(() => {
      this.running = false;
      if (this.ready()) this.kick();
      else if (this.buffer.length === 0) for (const resolve of this.idle.splice(0)) resolve();
    });
  }

  private async run(): Promise<void> {
    while (this.ready()) {
      const items = this.buffer.splice(0, this.options.maxSize);
      if (this.buffer.length === 0) {
        clearTimeout(this.timer);
        this.timer = undefined;
        this.due = false;
      }
      try {
        await this.flush(items);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
