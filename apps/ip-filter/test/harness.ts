import pg from 'pg';
import type { KV } from '@nats-io/kv';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  IpFilterRpc,
  type IpFilterRecord,
  type UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import { kvGet, NatsLink, openBucket, RpcClient } from '@loyalty-edge/nats';
import { runService, type RunningService } from '@loyalty-edge/runtime';
import { cleanUp, serviceEnv, uniquePrefix } from '@loyalty-edge/testing';
import { ipFilterApp } from '../src/app.module.js';
import { loadConfig } from '../src/config.js';

export const actor = { type: 'admin' as const, id: 'admin-1', email: 'admin@example.com' };

/** The service under test on its own prefix, small limits, and a client for its subjects. */
export class Harness {
  readonly prefix = uniquePrefix();
  readonly env = serviceEnv(this.prefix, {
    IP_FILTER_MAX_ENTRIES: '6',
    IP_FILTER_MAX_WORKSPACE_ENTRIES: '10',
  });
  service!: RunningService;
  rpc!: RpcClient;
  bucket!: KV;
  private link!: NatsLink;

  async start(): Promise<void> {
    this.service = await this.startService();
    this.link = await NatsLink.open(loadConfig(this.env).common.nats, 'test');
    this.rpc = new RpcClient(this.link);
    this.bucket = await openBucket(this.link, KV_BUCKETS.ipFilters);
  }

  /** Another replica on the same database, subjects and bucket. */
  startService(): Promise<RunningService> {
    return runService(ipFilterApp(loadConfig(this.env)));
  }

  async stop(): Promise<void> {
    await this.link.close();
    await this.service.close();
    await cleanUp(this.prefix);
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
