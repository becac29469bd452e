import { randomUUID } from 'node:crypto';
import { AuditEvents, type ClientIpCountsEvent } from '@loyalty-edge/audit-contracts';
import type { EventPublisher } from '@loyalty-edge/nats';

/**
 * Counts requests per (workspace, API, client IP) and publishes the counts once a minute, so
 * an admin can preview which clients a proposed IP list would block.
 */
export class ClientIpCounter {
  /** workspace → API → client IP → requests, for the current window. */
  private counts = new Map<string, Map<string, Map<string, number>>>();
  private keys = 0;
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
    let apis = this.counts.get(workspaceId);
    if (apis === undefined) {
      apis = new Map();
      this.counts.set(workspaceId, apis);
    }
    let ips = apis.get(api);
    if (ips === undefined) {
      ips = new Map();
      apis.set(api, ips);
    }
    const current = ips.get(ip);
    if (current !== undefined) {
      ips.set(ip, current + 1);
    } else if (this.keys < this.maxKeys) {
      ips.set(ip, 1);
      this.keys += 1;
    }
  }

  flush(): void {
    const counts = this.counts;
    const at = new Date(this.windowStart).toISOString();
    this.counts = new Map();
    this.keys = 0;
    this.windowStart = Date.now();
    if (counts.size === 0) return;
    const event: ClientIpCountsEvent = {
      id: randomUUID(),
      at,
      counts: [...counts].flatMap(([workspaceId, apis]) =>
        [...apis].flatMap(([api, ips]) =>
          [...ips].map(([ip, requests]) => ({ workspaceId, api, ip, requests })),
        ),
      ),
    };
    this.publisher.publish(AuditEvents.clientIps, event, event.id);
  }

  stop(): void {
    clearInterval(this.timer);
    this.flush();
  }
}
