import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { DataSource } from 'typeorm';
import { API_IDS, isApiId, KV_BUCKETS, type ApiId } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import { kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import {
  SignatureErrorCodes,
  type EnforcementActor,
  type EnforcementRecord,
  type EnforcementSet,
  type SetEnforcementResult,
} from '@loyalty-edge/signature-contracts';
import { EnforcementEntity } from './enforcement.entity.js';

/** Per-API signature enforcement of each workspace; pushed to the gateway through KV. */
@Injectable()
export class EnforcementService implements OnApplicationBootstrap {
  private readonly logger = new Logger(EnforcementService.name);
  private bucket: KV | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly link: NatsLink,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const rows = await this.dataSource.getRepository(EnforcementEntity).find();
    for (const row of rows) await this.publish(row);
    this.logger.log({ msg: 'enforcement records published', count: rows.length });
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
    const { row, before } = await this.dataSource.transaction(async (manager) => {
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
      return { row: saved, before: (current?.apis ?? []).filter(isApiId) };
    });
    await this.publish(row);
    return { ...this.map(workspaceId, row), before };
  }

  private async publish(row: EnforcementEntity): Promise<void> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.signatureEnforcement);
    const record: EnforcementRecord = {
      workspaceId: row.workspaceId,
      apis: row.apis.filter(isApiId),
      revision: row.revision,
    };
    await kvPut(this.bucket, row.workspaceId, record);
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
