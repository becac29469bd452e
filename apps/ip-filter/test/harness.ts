import pg from 'pg';
import type { KV } from '@nats-io/kv';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  IpFilterRpc,
  type IpFilterRecord,
  type UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import { kvGet, openBucket } from '@loyalty-edge/nats';
import { ServiceTest } from '@loyalty-edge/service-testing';
import { ipFilterApp } from '../src/app.module.js';
import { loadConfig, type IpFilterConfig } from '../src/config.js';

export const actor = { type: 'admin' as const, id: 'admin-1', email: 'admin@example.com' };

/** The service under test with small limits, its KV bucket, and helpers for its subjects. */
export class Harness extends ServiceTest<IpFilterConfig> {
  bucket!: KV;

  constructor() {
    super(loadConfig, ipFilterApp, {
      IP_FILTER_MAX_ENTRIES: '6',
      IP_FILTER_MAX_WORKSPACE_ENTRIES: '10',
    });
  }

  override async open(): Promise<this> {
    await super.open();
    this.bucket = await openBucket(this.link, KV_BUCKETS.ipFilters);
    return this;
  }

  /** Replaces a list from its current revision (read first), or from `expectedRevision`. */
  async update(
    workspaceId: string,
    api: string,
    entries: string[],
    expectedRevision?: number,
  ): Promise<UpdateListResult> {
    const expected = expectedRevision ?? (await this.revisionOf(workspaceId, api));
    return this.rpc.request(IpFilterRpc.update, {
      workspaceId,
      api,
      entries,
      expectedRevision: expected,
      actor,
    });
  }

  /** The list's own revision, as a read returns it (0 for an unknown API or a new list). */
  async revisionOf(workspaceId: string, api: string): Promise<number> {
    const { apis } = await this.rpc.request(IpFilterRpc.getLists, { workspaceId });
    return apis.find((list) => list.api === api)?.revision ?? 0;
  }

  record(workspaceId: string): Promise<IpFilterRecord | undefined> {
    return kvGet<IpFilterRecord>(this.bucket, workspaceId);
  }

  /** The workspace's rows, straight from the table. */
  async storedRows(workspaceId: string): Promise<Record<string, unknown>[]> {
    const client = new pg.Client({ connectionString: this.env.DATABASE_URL });
    await client.connect();
    try {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT api, entries, revision FROM "${this.prefix}_ip_filter".ip_lists WHERE workspace_id = $1 ORDER BY api`,
        [workspaceId],
      );
      return rows;
    } finally {
      await client.end();
    }
  }
}

/** The AppError a request is refused with. */
export function refusal(promise: Promise<unknown>): Promise<AppError> {
  return promise.then(
    () => {
      throw new Error('expected a refusal');
    },
    (error: unknown) => {
      if (error instanceof AppError) return error;
      throw error;
    },
  );
}
