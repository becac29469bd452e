import { randomUUID } from 'node:crypto';
import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditEvents, type AuthClientEvent } from '@loyalty-edge/audit-contracts';
import type { Actor } from '@loyalty-edge/contracts';
import { KV_BUCKETS } from '@loyalty-edge/contracts';
import { EventPublisher } from '@loyalty-edge/nats';
import { KvOutbox, type OutboxTicket } from '@loyalty-edge/outbox';
import type { AuthClientRecord, ChangeSource } from '@loyalty-edge/token-contracts';
import { AuthClientEntity } from './auth-client.entity.js';
import { ClientCache } from './client-cache.js';

/** Who asked for a change, for the audit event. */
export interface ChangeOrigin {
  readonly actor: Actor;
  readonly source: ChangeSource;
  readonly requestId?: string | undefined;
}

type RecordRow = Pick<AuthClientEntity, 'clientId' | 'workspaceId' | 'expiresAt' | 'revokedAt'>;

const recordOf = (row: RecordRow): AuthClientRecord => ({
  workspaceId: row.workspaceId,
  status: row.revokedAt === null ? 'active' : 'revoked',
  expiresAt: row.expiresAt.toISOString(),
  revokedAt: row.revokedAt?.toISOString() ?? null,
});

/**
 * Keeps the `auth_clients` KV bucket equal to the table through the outbox (a record queued in
 * the transaction that changes the client, a delete once no token of a client can still be
 * valid, published after the commit), applies each change to this replica's ClientCache at once,
 * and publishes the auth-client audit events.
 */
@Injectable()
export class ClientRecords implements OnModuleInit {
  private readonly logger = new Logger(ClientRecords.name);

  constructor(
    private readonly outbox: KvOutbox,
    private readonly dataSource: DataSource,
    private readonly publisher: EventPublisher,
    private readonly cache: ClientCache,
  ) {}

  /** Back-fill (first start): every record not pruned. */
  onModuleInit(): void {
    this.outbox.register({
      bucket: KV_BUCKETS.authClients,
      snapshot: async () => {
        const rows = await this.dataSource
          .getRepository(AuthClientEntity)
          .createQueryBuilder('c')
          .select(['c.clientId', 'c.workspaceId', 'c.expiresAt', 'c.revokedAt'])
          .where('c.pruned_at IS NULL')
          .getMany();
        return rows.map((row) => ({ key: row.clientId, value: recordOf(row) }));
      },
    });
  }

  /** Queues the client's record in the caller's transaction. */
  write(manager: EntityManager, row: RecordRow): Promise<OutboxTicket> {
    return this.outbox.put(manager, KV_BUCKETS.authClients, row.clientId, recordOf(row));
  }

  /** Queues deletes of these clients' records in the caller's transaction. */
  remove(manager: EntityManager, clientIds: readonly string[]): Promise<OutboxTicket> {
    return this.outbox.write(
      manager,
      clientIds.map((key) => ({ bucket: KV_BUCKETS.authClients, key, deleted: true as const })),
    );
  }

  /**
   * After the commit: this replica's cache first (a revoke holds here before the call returns),
   * then waits (briefly) until every other replica and gateway can see it through KV.
   */
  async applied(row: RecordRow, ticket: OutboxTicket): Promise<void> {
    this.cache.apply(row.clientId, recordOf(row));
    await this.outbox.settled(ticket);
  }

  /** After the commit of a prune: drops the clients from this replica's cache, then from KV. */
  async removed(clientIds: readonly string[], ticket: OutboxTicket): Promise<void> {
    for (const clientId of clientIds) this.cache.apply(clientId, undefined);
    await this.outbox.settled(ticket);
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
}
