import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, MoreThan } from 'typeorm';
import {
  API_KEY_PREFIX,
  API_SECRET_PREFIX,
  type ApiKeyView,
  type GeneratedCredentials,
  type GenerateRequest,
} from '@loyalty-edge/credentials-contracts';
import { ApiKeyEntity } from './api-key.entity.js';
import { KeyRecords } from './key-records.js';
import { SecretBox } from './secret-box.js';

/** 144 random bits for keys, 256 for secrets, URL-safe. */
const newApiKey = (): string => `${API_KEY_PREFIX}${randomBytes(18).toString('base64url')}`;
const newSecret = (): string => `${API_SECRET_PREFIX}${randomBytes(32).toString('base64url')}`;

@Injectable()
export class ApiKeysService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly box: SecretBox,
    private readonly records: KeyRecords,
  ) {}

  /**
   * A new pair; the old one is deactivated in the same transaction, which also queues both KV
   * records (outbox). On the happy path the gateways hold both changes before this returns, so
   * the old key fails as soon as the caller knows (or, with an overlap, when that ends: the
   * gateway reads the end from the old key's record); while NATS is away this returns after a short
   * wait and the records follow as soon as NATS answers again (never lost with the commit).
   */
  async generate(request: GenerateRequest): Promise<GeneratedCredentials> {
    const apiKey = newApiKey();
    const apiSecret = newSecret();
    const sealed = this.box.seal(apiSecret, apiKey);
    const { created, ticket, old } = await this.dataSource.transaction(async (manager) => {
      // serialise concurrent regenerations of one workspace
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [request.workspaceId]);
      const repository = manager.getRepository(ApiKeyEntity);
      const now = new Date();
      // the active key, and a key still in the overlap of an earlier regeneration: that overlap
      // ends now, the active key's begins (or it stops at once, without one)
      const old = await repository
        .createQueryBuilder('k')
        .where('k.workspace_id = :workspaceId', { workspaceId: request.workspaceId })
        .andWhere("(k.status = 'active' OR k.deactivated_at > :now)", { now })
        .getMany();
      const until = new Date(now.getTime() + (request.overlapSeconds ?? 0) * 1000);
      for (const row of old) {
        row.deactivatedAt = row.status === 'active' ? until : now;
        row.status = 'inactive';
      }
      await repository.save(old);
      const last = await repository.maximum('version', { workspaceId: request.workspaceId });
      const row = repository.create({
        workspaceId: request.workspaceId,
        apiKey,
        secretCiphertext: sealed.ciphertext,
        wrappedKey: sealed.wrappedKey,
        kekId: sealed.kekId,
        status: 'active',
        version: (last ?? 0) + 1,
        createdAt: now,
        createdBy: request.actor.email ?? request.actor.id,
        deactivatedAt: null,
      });
      const saved = await repository.save(row);
      const ticket = await this.records.write(manager, [...old, saved]);
      return { created: saved, ticket, old };
    });
    await this.records.settled(ticket);
    const overlapping = old.find((row) => (row.deactivatedAt ?? 0) > new Date());
    return { ...this.map(created, overlapping), apiSecret };
  }

  /** The active key, with the key it replaced while that one is in its overlap. */
  async getActive(workspaceId: string): Promise<ApiKeyView | null> {
    const repository = this.dataSource.getRepository(ApiKeyEntity);
    const row = await repository.findOneBy({ workspaceId, status: 'active' });
    if (!row) return null;
    const previous = await repository.findOneBy({
      workspaceId,
      status: 'inactive',
      deactivatedAt: MoreThan(new Date()),
    });
    return this.map(row, previous);
  }

  /** The raw secret of an active key: only for the signature service's key derivation. */
  async resolveSecret(apiKey: string): Promise<{ workspaceId: string; secret: string } | null> {
    const row = await this.dataSource.getRepository(ApiKeyEntity).findOneBy({ apiKey });
    // an old key in its overlap still signs
    if (!row || (row.status !== 'active' && !((row.deactivatedAt ?? 0) > new Date()))) return null;
    const secret = this.box.open(
      { ciphertext: row.secretCiphertext, wrappedKey: row.wrappedKey, kekId: row.kekId },
      row.apiKey,
    );
    return { workspaceId: row.workspaceId, secret };
  }

  /** Re-wraps every data key under the active KEK; returns how many rows changed. */
  async rotateKek(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(ApiKeyEntity);
      const stale = await repository
        .createQueryBuilder('k')
        .where('k.kek_id <> :active', { active: this.box.activeKekId })
        .setLock('pessimistic_write')
        .getMany();
      for (const row of stale) {
        const sealed = this.box.rewrap(
          { ciphertext: row.secretCiphertext, wrappedKey: row.wrappedKey, kekId: row.kekId },
          row.apiKey,
        );
        row.wrappedKey = sealed.wrappedKey;
        row.kekId = sealed.kekId;
      }
      await repository.save(stale);
      return stale.length;
    });
  }

  private map(row: ApiKeyEntity, previous?: ApiKeyEntity | null): ApiKeyView {
    return {
      ...(previous?.deactivatedAt
        ? {
            previous: {
              apiKey: previous.apiKey,
              validUntil: previous.deactivatedAt.toISOString(),
            },
          }
        : {}),
      apiKey: row.apiKey,
      workspaceId: row.workspaceId,
      status: row.status,
      version: row.version,
      createdAt: row.createdAt.toISOString(),
      createdBy: row.createdBy,
    };
  }
}
