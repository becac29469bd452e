import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { KvOutbox, type OutboxTicket } from '@loyalty-edge/outbox';
import { WorkspaceEntity } from './workspace.entity.js';

export function recordOf(row: WorkspaceEntity): WorkspaceRecord {
  return {
    id: row.id,
    name: row.name,
    modules: {
      ipFilter: row.ipFilter,
      signatureCheck: row.signatureCheck,
      asyncEvents: row.asyncEvents,
    },
    // absent (not null) when unset: gateways then apply their default
    ...(typeof row.rateLimitPerMinute === 'number'
      ? { rateLimit: { requestsPerMinute: row.rateLimitPerMinute } }
      : {}),
  };
}

/**
 * Keeps the `workspaces` KV bucket equal to the table through the outbox: a workspace's record is
 * queued in the transaction that changes the workspace (`write`), and published after the commit
 * (KvOutbox, which also repairs the bucket by revision).
 */
@Injectable()
export class WorkspaceRecords implements OnModuleInit {
  constructor(
    private readonly outbox: KvOutbox,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.workspaces,
      snapshot: async () =>
        (await this.dataSource.getRepository(WorkspaceEntity).find()).map((row) => ({
          key: row.id,
          value: recordOf(row),
        })),
    });
  }

  /** Queues the workspace's record in the caller's transaction. */
  write(manager: EntityManager, row: WorkspaceEntity): Promise<OutboxTicket> {
    return this.outbox.put(manager, KV_BUCKETS.workspaces, row.id, recordOf(row));
  }

  /** Waits (briefly) until the record is in KV; false when NATS has not answered yet. */
  settled(ticket: OutboxTicket): Promise<boolean> {
    return this.outbox.settled(ticket);
  }

  /**
   * For a change already committed: queues the record in a transaction of its own and waits
   * briefly. Prefer `write` inside the change's transaction (nothing lost between the two).
   */
  async publish(row: WorkspaceEntity): Promise<void> {
    await this.settled(await this.dataSource.transaction((manager) => this.write(manager, row)));
  }
}
