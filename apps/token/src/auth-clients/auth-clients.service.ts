import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  AUTH_CLIENT_ID,
  AUTH_CLIENT_ID_PREFIX,
  AUTH_CLIENT_SECRET_PREFIX,
  TokenErrorCodes,
  type AuthClientOptions,
  type AuthClientView,
  type CreateAuthClientRequest,
  type CreatedAuthClient,
  type RevokeAuthClientRequest,
} from '@loyalty-edge/token-contracts';
import { AuthClientEntity } from './auth-client.entity.js';
import { ClientRecords } from './client-records.js';
import { checkNewClient, statusOf } from './client-rules.js';
import { CLIENT_SETTINGS, type ClientSettings } from './client-settings.js';
import { SecretHasher } from './secret-hasher.js';

/** 144 random bits for client ids, 256 for secrets, URL-safe. */
const newClientId = (): string =>
  `${AUTH_CLIENT_ID_PREFIX}${randomBytes(18).toString('base64url')}`;
const newSecret = (): string =>
  `${AUTH_CLIENT_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

const notFound = (): AppError =>
  new AppError('not_found', TokenErrorCodes.clientNotFound, 'Auth client not found');

/**
 * OAuth2 client-credentials clients of a workspace: created with a secret shown once (stored
 * only hashed), listed, revoked for good. Each change queues its KV record in its transaction
 * (outbox) and reaches the audit log after the commit.
 */
@Injectable()
export class AuthClientsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: ClientRecords,
    private readonly hasher: SecretHasher,
    @Inject(CLIENT_SETTINGS) private readonly settings: ClientSettings,
  ) {}

  options(): AuthClientOptions {
    return {
      issuer: this.settings.issuer,
      tokenValiditySeconds: this.settings.validitySeconds,
      scopes: this.settings.scopes,
      audiences: this.settings.audiences,
      maxExpiryDays: this.settings.maxExpiryDays,
    };
  }

  async create(request: CreateAuthClientRequest): Promise<CreatedAuthClient> {
    const now = new Date();
    const checked = checkNewClient(request, this.settings, now);
    if (!checked.ok) {
      throw new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
        fields: checked.problems,
      });
    }
    const { client } = checked;
    const secret = newSecret();
    const { row, ticket } = await this.dataSource.transaction(async (manager) => {
      // serialize creations in one workspace, so the limit holds under concurrency
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [
        `token:auth-clients:${request.workspaceId}`,
      ]);
      const repository = manager.getRepository(AuthClientEntity);
      const active = await repository
        .createQueryBuilder('c')
        .where('c.workspace_id = :workspaceId', { workspaceId: request.workspaceId })
        .andWhere('c.revoked_at IS NULL')
        .andWhere('c.expires_at > :now', { now })
        .getCount();
      if (active >= this.settings.maxActive) {
        throw new AppError(
          'conflict',
          TokenErrorCodes.tooManyClients,
          `A workspace may have at most ${this.settings.maxActive} active auth clients`,
        );
      }
      const saved = await repository.save(
        repository.create({
          workspaceId: request.workspaceId,
          clientId: newClientId(),
          name: client.name,
          purpose: client.purpose,
          scopes: [...client.scopes],
          audience: client.audience,
          secretHash: this.hasher.hash(secret),
          expiresAt: client.expiresAt,
          createdAt: now,
          createdBy: request.actor.email ?? request.actor.id,
          createdVia: request.source,
          actorType: request.actor.type,
          actorId: request.actor.id,
          revokedAt: null,
          revokedBy: null,
          prunedAt: null,
        }),
      );
      return { row: saved, ticket: await this.records.write(manager, saved) };
    });
    await this.records.applied(row, ticket);
    this.records.recordEvent(row, 'created', request, now);
    return { ...this.map(row, now), clientSecret: secret };
  }

  /** Every client of the workspace, newest first. */
  async list(workspaceId: string): Promise<AuthClientView[]> {
    const rows = await this.dataSource
      .getRepository(AuthClientEntity)
      .find({ where: { workspaceId }, order: { createdAt: 'DESC', clientId: 'ASC' } });
    const now = new Date();
    return rows.map((row) => this.map(row, now));
  }

  async get(workspaceId: string, clientId: string): Promise<AuthClientView | null> {
    if (!AUTH_CLIENT_ID.test(clientId)) return null;
    const row = await this.dataSource
      .getRepository(AuthClientEntity)
      .findOneBy({ workspaceId, clientId });
    return row ? this.map(row, new Date()) : null;
  }

  /** Irreversible and idempotent: a second revoke changes nothing and records nothing. */
  async revoke(request: RevokeAuthClientRequest): Promise<AuthClientView> {
    if (!AUTH_CLIENT_ID.test(request.clientId)) throw notFound();
    const now = new Date();
    const { row, changed, ticket } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(AuthClientEntity);
      const found = await repository.findOne({
        where: { workspaceId: request.workspaceId, clientId: request.clientId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw notFound();
      if (found.revokedAt !== null) return { row: found, changed: false, ticket: undefined };
      found.revokedAt = now;
      found.revokedBy = request.actor.email ?? request.actor.id;
      await repository.update(
        { id: found.id },
        { revokedAt: found.revokedAt, revokedBy: found.revokedBy },
      );
      // a pruned record stays out of KV: the client had long expired
      const queued = found.prunedAt === null ? await this.records.write(manager, found) : undefined;
      return { row: found, changed: true, ticket: queued };
    });
    if (changed) {
      if (ticket) await this.records.applied(row, ticket);
      this.records.recordEvent(row, 'revoked', request, now);
    }
    return this.map(row, now);
  }

  private map(row: AuthClientEntity, now: Date): AuthClientView {
    return {
      clientId: row.clientId,
      workspaceId: row.workspaceId,
      name: row.name,
      purpose: row.purpose,
      scopes: row.scopes,
      audience: row.audience,
      issuer: this.settings.issuer,
      tokenValiditySeconds: this.settings.validitySeconds,
      status: statusOf(row, now),
      expiresAt: row.expiresAt.toISOString(),
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdBy,
      createdVia: row.createdVia,
      revokedAt: row.revokedAt?.toISOString() ?? null,
      revokedBy: row.revokedBy,
    };
  }
}
