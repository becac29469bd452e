import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { DataSource } from 'typeorm';
import { API_IDS, ErrorCodes, KV_BUCKETS, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import type { IpFilterRecord } from '@loyalty-edge/ip-filter-contracts';
import { kvDelete, kvGet, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import { IpListEntity } from './ip-list.entity.js';
import { WorkspaceLock } from './workspace-lock.js';

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

const same = (a: IpFilterRecord | undefined, b: IpFilterRecord): boolean =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * Keeps the `ip_filters` KV bucket equal to the table: one put per change (after commit, under
 * the workspace lock), and at start a check of every key, repairing the ones that differ.
 */
@Injectable()
export class IpFilterRecords implements OnApplicationBootstrap {
  private readonly logger = new Logger(IpFilterRecords.name);
  private bucket: KV | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly dataSource: DataSource,
    private readonly lock: WorkspaceLock,
  ) {}

  async publish(record: IpFilterRecord): Promise<void> {
    try {
      await kvPut(await this.open(), record.workspaceId, record);
    } catch (cause) {
      throw new AppError(
        'unavailable',
        ErrorCodes.unavailable,
        'The list was saved, but the gateways could not be told yet; send the update again',
        undefined,
        { cause },
      );
    }
  }

  async onApplicationBootstrap(): Promise<void> {
    const bucket = await this.open();
    const rows = await this.dataSource.getRepository(IpListEntity).find();
    const byWorkspace = new Map<string, IpListEntity[]>();
    for (const row of rows) {
      const group = byWorkspace.get(row.workspaceId);
      if (group) group.push(row);
      else byWorkspace.set(row.workspaceId, [row]);
    }
    let repaired = 0;
    for (const [workspaceId, lists] of byWorkspace) {
      if (same(await kvGet<IpFilterRecord>(bucket, workspaceId), toRecord(workspaceId, lists)))
        continue;
      await this.resync(workspaceId);
      repaired += 1;
    }
    const keys: string[] = [];
    for await (const key of await bucket.keys()) keys.push(key);
    for (const key of keys.filter((k) => !byWorkspace.has(k))) {
      await this.resync(key);
      repaired += 1;
    }
    this.logger.log({ msg: 'ip filter records checked', count: byWorkspace.size, repaired });
  }

  /** Re-reads a workspace under its lock and writes (or, with no lists, deletes) its key. */
  private async resync(workspaceId: string): Promise<void> {
    await this.lock.run(workspaceId, async (runner) => {
      const rows = await runner.manager.findBy(IpListEntity, { workspaceId });
      if (rows.length === 0) await kvDelete(await this.open(), workspaceId);
      else await this.publish(toRecord(workspaceId, rows));
    });
  }

  private async open(): Promise<KV> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.ipFilters);
    return this.bucket;
  }
}
