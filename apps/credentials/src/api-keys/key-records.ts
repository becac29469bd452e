import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { KvOutbox, type OutboxTicket } from '@loyalty-edge/outbox';
import { ApiKeyEntity } from './api-key.entity.js';

type RecordRow = Pick<
  ApiKeyEntity,
  'apiKey' | 'workspaceId' | 'status' | 'version' | 'deactivatedAt'
>;

/** An inactive key deactivated in the future is in its overlap: the gateway admits it until then. */
const recordOf = (row: RecordRow, now = Date.now()): ApiKeyRecord => ({
  workspaceId: row.workspaceId,
  status: row.status,
  version: row.version,
  ...(row.status === 'inactive' && row.deactivatedAt !== null && row.deactivatedAt.getTime() > now
    ? { validUntil: row.deactivatedAt.toISOString() }
    : {}),
});

/**
 * Keeps the `api_keys` KV bucket equal to the table through the outbox: a key's record is queued
 * in the transaction that changes the key, and published after the commit (KvOutbox).
 */
@Injectable()
export class KeyRecords implements OnModuleInit {
  constructor(
    private readonly outbox: KvOutbox,
    private readonly dataSource: DataSource,
  ) {}

  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.apiKeys,
      snapshot: async () => {
        const rows = await this.dataSource.getRepository(ApiKeyEntity).find({
          select: {
            apiKey: true,
            workspaceId: true,
            status: true,
            version: true,
            deactivatedAt: true,
          },
        });
        return rows.map((row) => ({ key: row.apiKey, value: recordOf(row) }));
      },
    });
  }

  /** Queues the records of these keys in the caller's transaction. */
  write(manager: EntityManager, rows: readonly RecordRow[]): Promise<OutboxTicket> {
    return this.outbox.write(
      manager,
      rows.map((row) => ({ bucket: KV_BUCKETS.apiKeys, key: row.apiKey, value: recordOf(row) })),
    );
  }

  /** Waits (briefly) until the queued records are in KV; false when NATS has not answered yet. */
  settled(ticket: OutboxTicket): Promise<boolean> {
    return this.outbox.settled(ticket);
  }
}
