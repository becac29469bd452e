import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { API_IDS, KV_BUCKETS, type ApiId } from '@loyalty-edge/contracts';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import { KvOutbox, type OutboxTicket } from '@loyalty-edge/outbox';
import { IpListEntity } from './ip-list.entity.js';

type ListRow = Pick<IpListEntity, 'api' | 'entries' | 'revision'>;

/** The workspace revision: that of its latest saved list, 0 when none. */
export const revisionOf = (rows: readonly ListRow[]): number =>
  rows.reduce((max, row) => Math.max(max, row.revision), 0);

/** A workspace's KV record from its rows: non-empty lists only, in catalog order. */
export function toRecord(workspaceId: string, rows: readonly ListRow[]): IpFilterRecord {
  const apis: Partial<Record<ApiId, readonly string[]>> = {};
  for (const api of API_IDS) {
    const row = rows.find((candidate) => candidate.api === api);
    if (row && row.entries.length > 0) apis[api] = row.entries.map((entry) => entry.normalized);
  }
  return { workspaceId, apis, revision: revisionOf(rows) };
}

/**
 * Keeps the `ip_filters` KV bucket equal to the table through the outbox: a workspace's record is
 * queued in the transaction that changes one of its lists (under the workspace lock), and
 * published after the commit (KvOutbox, which also repairs the bucket by revision).
 */
@Injectable()
export class IpFilterRecords implements OnModuleInit {
  constructor(
    private readonly outbox: KvOutbox,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.ipFilters,
      snapshot: async () => {
        const rows = await this.dataSource.getRepository(IpListEntity).find();
        const byWorkspace = new Map<string, IpListEntity[]>();
        for (const row of rows) {
          const group = byWorkspace.get(row.workspaceId);
          if (group) group.push(row);
          else byWorkspace.set(row.workspaceId, [row]);
        }
        return [...byWorkspace].map(([workspaceId, lists]) => ({
          key: workspaceId,
          value: toRecord(workspaceId, lists),
        }));
      },
    });
  }

  /** Queues the workspace's record in the caller's transaction. */
  write(manager: EntityManager, record: IpFilterRecord): Promise<OutboxTicket> {
    return this.outbox.put(manager, KV_BUCKETS.ipFilters, record.workspaceId, record);
  }

  /** Waits (briefly) until the record is in KV; false when NATS has not answered yet. */
  settled(ticket: OutboxTicket): Promise<boolean> {
    return this.outbox.settled(ticket);
  }
}
