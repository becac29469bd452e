/**
 * Keeps the first `limit` bytes of a body that streams past, for the failed-call log. Chunks are
 * referenced, not copied, so capturing costs almost nothing on the success path.
 */
export class BodyCapture {
  private readonly chunks: Buffer[] = [];
  private kept = 0;
  private total = 0;

  constructor(private readonly limit: number) {}

  get size(): number {
    return this.total;
  }

  /** Whether more arrived than was kept. */
  get truncated(): boolean {
    return this.total > this.kept;
  }

  add(chunk: Buffer): void {
    this.total += chunk.length;
    if (this.kept >= this.limit) return;
    const room = this.limit - this.kept;
    const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
    this.chunks.push(part);
    this.kept += part.length;
  }

  text(): string {
    const body = Buffer.concat(this.chunks, this.kept).toString('utf8');
    return this.total > this.kept
      ? `${body}…[${this.total - this.kept} more bytes not kept]`
      : body;
  }
}
