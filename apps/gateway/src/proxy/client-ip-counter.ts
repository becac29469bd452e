import { randomUUID } from 'node:crypto';
import { AuditEvents, type ClientIpCountsEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';

/**
 * Counts requests per (workspace, API, client IP) and publishes the counts once a minute, so
 * an admin can preview which clients a proposed IP list would block.
 */
export class ClientIpCounter {
  private counts = new Map<string, number>();
  private windowStart = Date.now();
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly publisher: EventPublisher,
    intervalMs = 60_000,
    private readonly maxKeys = 50_000,
  ) {
    this.timer = setInterval(() => this.flush(), intervalMs);
    this.timer.unref();
  }

  count(workspaceId: string, api: string, ip: string): void {
    const key = `${workspaceId}\u0000${api}\u0000${ip}`;
    const current = this.counts.get(key);
    if (current !== undefined) this.counts.set(key, current + 1);
    else if (this.counts.size < this.maxKeys) this.counts.set(key, 1);
  }

  flush(): void {
    const counts = this.counts;
    const at = new Date(this.windowStart).toISOString();
    this.counts = new Map();
    this.windowStart = Date.now();
    if (counts.size === 0) return;
    const event: ClientIpCountsEvent = {
      id: randomUUID(),
      at,
      counts: [...counts].map(([key, requests]) => {
        const [workspaceId = '', api = '', ip = ''] = key.split('\u0000');
        return { workspaceId, api, ip, requests };
      }),
    };
    this.publisher.publish(AuditEvents.clientIps, event, event.id);
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
