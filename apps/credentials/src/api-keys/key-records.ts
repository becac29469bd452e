import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { DataSource } from 'typeorm';
import type { ApiKeyRecord } from '@loyalty-edge/credentials-contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { ApiKeyEntity } from './api-key.entity.js';

/**
 * Keeps the `api_keys` KV bucket equal to the table: one put per change (after commit), and a
 * full re-publish at start so a put lost to a crash is repaired.
 */
@Injectable()
export class KeyRecords implements OnApplicationBootstrap {
  private readonly logger = new Logger(KeyRecords.name);
  private bucket: KV | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.dataSource.getRepository(ApiKeyEntity).find();
    for (const row of rows) await this.publish(row);
    this.logger.log({ msg: 'api key records published', count: rows.length });
  }

  async publish(
    row: Pick<ApiKeyEntity, 'apiKey' | 'workspaceId' | 'status' | 'version'>,
  ): Promise<void> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.apiKeys);
    const record: ApiKeyRecord = {
      workspaceId: row.workspaceId,
      status: row.status,
      version: row.version,
    };
    await kvPut(this.bucket, row.apiKey, record);
  }
}
