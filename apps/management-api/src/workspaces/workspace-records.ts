import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { DataSource } from 'typeorm';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import type { WorkspaceRecord } from '@loyalty-edge/management-contracts';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
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
  };
}

/**
 * Keeps the `workspaces` KV bucket equal to the table: one put per change (after commit), and a
 * full re-publish at start so a put lost to a crash is repaired.
 */
@Injectable()
export class WorkspaceRecords implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkspaceRecords.name);
  private bucket: KV | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.dataSource.getRepository(WorkspaceEntity).find();
    for (const row of rows) await this.publish(row);
    this.logger.log({ msg: 'workspace records published', count: rows.length });
  }

  async publish(row: WorkspaceEntity): Promise<void> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.workspaces);
    await kvPut(this.bucket, row.id, recordOf(row));
  }
}
