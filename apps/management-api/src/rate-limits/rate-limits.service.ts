import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes } from '@loyalty-edge/management-contracts';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { WorkspaceEntity } from '../workspaces/workspace.entity.js';
import { WorkspaceRecords } from '../workspaces/workspace-records.js';

/** A workspace's rate limit as the API shows it; null: the gateways' default. */
export interface RateLimitView {
  readonly requestsPerMinute: number | null;
  readonly updatedAt: string;
}

function notFound(): AppError {
  return new AppError('not_found', ManagementErrorCodes.workspaceNotFound, 'Workspace not found');
}

/**
 * A workspace's rate limit per API key and auth client: a column of the workspace, carried to
 * every gateway in its `workspaces` KV record (`rateLimit`, written through the outbox in the
 * change's transaction), which the gateways apply as soon as it arrives.
 */
@Injectable()
export class RateLimitsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: WorkspaceRecords,
    private readonly changes: ChangeLog,
  ) {}

  async get(workspaceId: string): Promise<RateLimitView> {
    const row = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    if (!row) throw notFound();
    return this.map(row);
  }

  async set(
    caller: Caller,
    workspaceId: string,
    requestsPerMinute: number | null,
  ): Promise<RateLimitView> {
    const { before, row, ticket } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(WorkspaceEntity);
      const current = await repository.findOne({
        where: { id: workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw notFound();
      const previous = current.rateLimitPerMinute;
      current.rateLimitPerMinute = requestsPerMinute;
      current.updatedAt = new Date();
      const saved = await repository.save(current);
      // the workspace's KV record, queued in this transaction (the outbox publishes it)
      return { before: previous, row: saved, ticket: await this.records.write(manager, saved) };
    });
    await this.records.settled(ticket);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.rate-limit.updated',
      target: workspaceId,
      before: { requestsPerMinute: before },
      after: { requestsPerMinute },
    });
    return this.map(row);
  }

  private map(row: WorkspaceEntity): RateLimitView {
    return {
      requestsPerMinute: row.rateLimitPerMinute,
      updatedAt: row.updatedAt.toISOString(),
    };
  }
}
