import { randomUUID } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { KV } from '@nats-io/kv';
import { Brackets, DataSource } from 'typeorm';
import { AuditEvents, type AuditActor, type AuthClientEvent } from '@loyalty-edge/audit-contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { EventPublisher, kvDelete, kvPut, NatsLink, openBucket } from '@loyalty-edge/nats';
import type { AuthClientRecord, ChangeSource } from '@loyalty-edge/token-contracts';
import { AuthClientEntity } from './auth-client.entity.js';
import { ClientCache } from './client-cache.js';
import { CLIENT_SETTINGS, pruneAfterSeconds, type ClientSettings } from './client-settings.js';

/** Who asked for a change, for the audit event. */
export interface ChangeOrigin {
  readonly actor: AuditActor;
  readonly source: ChangeSource;
  readonly requestId?: string | undefined;
}

type RecordRow = Pick<AuthClientEntity, 'clientId' | 'workspaceId' | 'expiresAt' | 'revokedAt'>;

/**
 * Keeps the `auth_clients` KV bucket equal to the table (one put per change after commit, a
 * re-publish at start so a lost put is repaired, a delete once no token of a client can still
 * be valid) and publishes the auth-client audit events.
 */
@Injectable()
export class ClientRecords implements OnApplicationBootstrap {
  private readonly logger = new Logger(ClientRecords.name);
  private bucket: KV | undefined;

  constructor(
    private readonly link: NatsLink,
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly cache: ClientCache,
    @Inject(CLIENT_SETTINGS) private readonly settings: ClientSettings,
  ) {}

  /** Re-publishes every record still in KV (not pruned, nor about to be). */
  async onApplicationBootstrap(): Promise<void> {
    const horizon = new Date(Date.now() - pruneAfterSeconds(this.settings) * 1000);
    const rows = await this.dataSource
      .getRepository(AuthClientEntity)
      .createQueryBuilder('c')
      .select(['c.clientId', 'c.workspaceId', 'c.expiresAt', 'c.revokedAt'])
      .where('c.pruned_at IS NULL')
      .andWhere('c.expires_at >= :horizon', { horizon })
      .andWhere(
        new Brackets((where) =>
          where.where('c.revoked_at IS NULL').orWhere('c.revoked_at >= :horizon', { horizon }),
        ),
      )
      .getMany();
    for (const row of rows) await this.put(row);
    this.logger.log({ msg: 'auth client records published', count: rows.length });
  }

  async put(row: RecordRow): Promise<void> {
    const record: AuthClientRecord = {
      workspaceId: row.workspaceId,
      status: row.revokedAt === null ? 'active' : 'revoked',
      expiresAt: row.expiresAt.toISOString(),
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
    // this replica first (a revoke holds here before the call returns), then every other
    this.cache.apply(row.clientId, record);
    await kvPut(await this.kv(), row.clientId, record);
  }

  async remove(clientId: string): Promise<void> {
    this.cache.apply(clientId, undefined);
    await kvDelete(await this.kv(), clientId);
  }

  /** Publishes the audit event without waiting for JetStream (never the secret). */
  recordEvent(
    row: Pick<AuthClientEntity, 'clientId' | 'workspaceId' | 'name'>,
    action: AuthClientEvent['action'],
    origin: ChangeOrigin,
    at: Date,
  ): void {
    const { type, id, email } = origin.actor;
    const event: AuthClientEvent = {
      id: randomUUID(),
      at: at.toISOString(),
      workspaceId: row.workspaceId,
      clientId: row.clientId,
      clientName: row.name,
      action,
      actor: email === undefined ? { type, id } : { type, id, email },
      source: origin.source,
      ...(origin.requestId === undefined ? {} : { requestId: origin.requestId }),
    };
    if (!this.publisher.publish(AuditEvents.authClient, event, event.id)) {
      this.logger.warn({ msg: 'auth client event dropped', clientId: row.clientId, action });
    }
  }

  private async kv(): Promise<KV> {
    this.bucket ??= await openBucket(this.link, KV_BUCKETS.authClients);
    return this.bucket;
  }
}
