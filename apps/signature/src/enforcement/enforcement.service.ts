import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { API_IDS, isApiId, KV_BUCKETS, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { KvOutbox } from '@loyalty-edge/outbox';
import {
  SignatureErrorCodes,
  type EnforcementActor,
  type EnforcementRecord,
  type EnforcementSet,
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

  /** Replaces the set; unknown API ids refuse the whole update, listing each. */
  async set(
    workspaceId: string,
    apis: readonly string[],
    actor: EnforcementActor,
  ): Promise<SetEnforcementResult> {
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
      const saved = await repository.save({
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

  private map(workspaceId: string, row: EnforcementEntity | null): EnforcementSet {
    return {
      workspaceId,
      apis: (row?.apis ?? []).filter((api): api is ApiId => isApiId(api)),
      updatedAt: row?.updatedAt.toISOString() ?? null,
      updatedBy: row?.updatedBy ?? null,
    };
  }
}
