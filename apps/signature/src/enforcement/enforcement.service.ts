import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource, type Repository } from 'typeorm';
import { API_IDS, ErrorCodes, isApiId, KV_BUCKETS, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { KvOutbox } from '@loyalty-edge/outbox';
import {
  SignatureErrorCodes,
  type EnforcementRecord,
  type EnforcementSet,
  type SetEnforcementRequest,
  type SetEnforcementResult,
} from '@loyalty-edge/signature-contracts';
import { EnforcementEntity } from './enforcement.entity.js';

const recordOf = (row: EnforcementEntity): EnforcementRecord => ({
  workspaceId: row.workspaceId,
  apis: row.apis.filter(isApiId),
  revision: row.revision,
});

/**
 * Per-API signature enforcement of each workspace; pushed to the gateway through KV: the record
 * is queued (outbox) in the transaction that saves the set, and published after the commit.
 */
@Injectable()
export class EnforcementService implements OnModuleInit {
  constructor(
    private readonly dataSource: DataSource,
    private readonly outbox: KvOutbox,
  ) {}

  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.signatureEnforcement,
      snapshot: async () =>
        (await this.dataSource.getRepository(EnforcementEntity).find()).map((row) => ({
          key: row.workspaceId,
          value: recordOf(row),
        })),
    });
  }

  async get(workspaceId: string): Promise<EnforcementSet> {
    const row = await this.dataSource.getRepository(EnforcementEntity).findOneBy({ workspaceId });
    return this.map(workspaceId, row);
  }

  /**
   * Replaces the set if it is still at `expectedRevision` (compare-and-set under the row lock; a
   * first save races on the primary key instead). Unknown API ids refuse the whole update,
   * listing each.
   */
  async set(request: SetEnforcementRequest): Promise<SetEnforcementResult> {
    const { workspaceId, apis, actor, expectedRevision } = request;
    const unknown = apis.flatMap((api, index) =>
      isApiId(api)
        ? []
        : [{ field: `apis[${index}]`, message: `unknown API (one of ${API_IDS.join(', ')})` }],
    );
    if (unknown.length > 0) {
      throw new AppError('invalid', SignatureErrorCodes.unknownApi, 'Unknown API', {
        fields: unknown,
      });
    }
    const wanted = API_IDS.filter((id) => apis.includes(id));
    const { row, before, ticket } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(EnforcementEntity);
      const current = await repository.findOne({
        where: { workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      if ((current?.revision ?? 0) !== expectedRevision) {
        throw this.stale(workspaceId, current, expectedRevision);
      }
      const saved = await this.write(repository, current, {
        workspaceId,
        apis: [...wanted],
        revision: (current?.revision ?? 0) + 1,
        updatedAt: new Date(),
        updatedBy: actor.email ?? actor.id,
      });
      return {
        row: saved,
        before: (current?.apis ?? []).filter(isApiId),
        ticket: await this.outbox.put(
          manager,
          KV_BUCKETS.signatureEnforcement,
          workspaceId,
          recordOf(saved),
        ),
      };
    });
    // in KV before this returns, unless NATS is away (then it follows when NATS answers)
    await this.outbox.settled(ticket);
    return { ...this.map(workspaceId, row), before };
  }

  /** Updates the locked row, or inserts the first one (a concurrent first insert is stale). */
  private async write(
    repository: Repository<EnforcementEntity>,
    current: EnforcementEntity | null,
    row: EnforcementEntity,
  ): Promise<EnforcementEntity> {
    if (current) return repository.save(row);
    const inserted = await repository
      .createQueryBuilder()
      .insert()
      .values(row)
      .orIgnore()
      .returning('workspace_id')
      .execute();
    if ((inserted.raw as unknown[]).length === 1) return row;
    // another first save committed meanwhile (ON CONFLICT waited for it): read what it saved
    const now = await repository.findOneBy({ workspaceId: row.workspaceId });
    throw this.stale(row.workspaceId, now, 0);
  }

  private stale(workspaceId: string, row: EnforcementEntity | null, expected: number): AppError {
    const current = this.map(workspaceId, row);
    return new AppError(
      'precondition_failed',
      ErrorCodes.preconditionFailed,
      `The signature enforcement changed since it was read (revision ${current.revision}, not ${expected}): read it again and re-apply the change`,
      { revision: current.revision, current },
    );
  }

  private map(workspaceId: string, row: EnforcementEntity | null): EnforcementSet {
    return {
      workspaceId,
      apis: (row?.apis ?? []).filter((api): api is ApiId => isApiId(api)),
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy ?? null,
      revision: row?.revision ?? 0,
    };
  }
}
