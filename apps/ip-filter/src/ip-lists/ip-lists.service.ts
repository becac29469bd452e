import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_IDS, ErrorCodes, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import type {
  IpFilterEntry,
  IpFilterList,
  IpFilterLists,
  PreviewRequest,
  PreviewResult,
  UpdateListRequest,
  UpdateListResult,
} from '@loyalty-edge/ip-filter-contracts';
import type { IpListLimits } from '../config.js';
import { IpFilterRecords, revisionOf, toRecord } from './ip-filter-records.js';
import { IpListEntity } from './ip-list.entity.js';
import { checkWorkspaceTotal, validateList } from './list-validation.js';
import { previewImpact } from './preview.js';
import { WorkspaceLock } from './workspace-lock.js';

/** DI token of the configured `IpListLimits`. */
export const IP_LIST_LIMITS = Symbol('IpListLimits');

const sameRanges = (a: readonly IpFilterEntry[], b: readonly IpFilterEntry[]): boolean => {
  const normalized = new Set(a.map((entry) => entry.normalized));
  return a.length === b.length && b.every((entry) => normalized.has(entry.normalized));
};

@Injectable()
export class IpListsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lock: WorkspaceLock,
    private readonly records: IpFilterRecords,
    @Inject(IP_LIST_LIMITS) private readonly limits: IpListLimits,
  ) {}

  async getLists(workspaceId: string): Promise<IpFilterLists> {
    const rows = await this.dataSource.getRepository(IpListEntity).findBy({ workspaceId });
    return {
      workspaceId,
      apis: API_IDS.map((api) =>
        this.map(
          api,
          rows.find((row) => row.api === api),
        ),
      ),
      revision: revisionOf(rows),
    };
  }

  /**
   * Replaces one API's list and queues the workspace's KV record in one transaction, under the
   * workspace lock, so concurrent updates apply one after the other; each applies only if the
   * list is still at its `expectedRevision` (compare-and-set: no update silently undoes another).
   * Returns once the record is in KV, or after a short wait while NATS is away (it follows when
   * NATS answers).
   */
  async update(request: UpdateListRequest): Promise<UpdateListResult> {
    const { workspaceId } = request;
    const valid = validateList(request, this.limits.perApi);
    const { result, ticket } = await this.lock.run(workspaceId, async (runner) => {
      const { saved, before, ticket } = await runner.manager.transaction(async (manager) => {
        const repository = manager.getRepository(IpListEntity);
        const rows = await repository.findBy({ workspaceId });
        const old = rows.find((row) => row.api === valid.api);
        if ((old?.revision ?? 0) !== request.expectedRevision) {
          throw this.stale(valid.api, old, request.expectedRevision);
        }
        const rest = rows.filter((row) => row !== old);
        const stored = rest.reduce((sum, row) => sum + row.entries.length, 0);
        checkWorkspaceTotal(stored, valid.entries.length, this.limits.perWorkspace);
        const row = repository.create({
          workspaceId,
          api: valid.api,
          entries: [...valid.entries],
          revision: revisionOf(rows) + 1,
          updatedAt: new Date(),
          updatedBy: request.actor.email ?? request.actor.id,
        });
        await repository.save(row);
        const record = toRecord(workspaceId, [...rest, row]);
        return {
          saved: row,
          before: old?.entries ?? [],
          ticket: await this.records.write(manager, record),
        };
      });
      const result: UpdateListResult = {
        workspaceId,
        list: this.map(valid.api, saved),
        before,
        merged: valid.merged,
        changed: !sameRanges(before, saved.entries),
        revision: saved.revision,
      };
      return { result, ticket };
    });
    await this.records.settled(ticket);
    return result;
  }

  /** What a proposed list would block; validates as `update` does, reads and saves nothing. */
  preview(request: PreviewRequest): PreviewResult {
    const valid = validateList(request, this.limits.perApi);
    return {
      workspaceId: request.workspaceId,
      api: valid.api,
      entries: valid.entries,
      merged: valid.merged,
      ...previewImpact(valid.entries, request.clientIps),
    };
  }

  private stale(api: ApiId, row: IpListEntity | undefined, expected: number): AppError {
    const current = this.map(api, row);
    return new AppError(
      'precondition_failed',
      ErrorCodes.preconditionFailed,
      `The ${api} list changed since it was read (revision ${current.revision}, not ${expected}): read it again and re-apply the change`,
      { revision: current.revision, current },
    );
  }

  private map(api: ApiId, row: IpListEntity | undefined): IpFilterList {
    return {
      api,
      entries: row?.entries ?? [],
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy ?? null,
      revision: row?.revision ?? 0,
    };
  }
}
