import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import {
  ACCESS_TOKEN_PREFIX,
  ManagementErrorCodes,
  type AccessTokenView,
  type CreatedAccessToken,
} from '@loyalty-edge/management-contracts';
import { AdminEntity } from '../accounts/admin.entity.js';
import { newToken, tokenHash } from '../accounts/token-hash.js';
import type { Caller, Principal } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import { AccessTokenEntity } from './access-token.entity.js';

const TOUCH_AFTER_MS = 60_000;
const HINT_LENGTH = ACCESS_TOKEN_PREFIX.length + 6;

/**
 * Personal access tokens for automation: `lep_` + 256 random bits, shown once, stored as
 * SHA-256. A token acts with its owner's roles; it is created from a browser session only, so
 * a leaked token cannot mint longer-lived ones.
 */
@Injectable()
export class AccessTokensService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly changes: ChangeLog,
    @Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig,
  ) {}

  async create(
    caller: Caller,
    input: { name: string; expiresAt: Date },
  ): Promise<CreatedAccessToken> {
    if (caller.principal.via !== 'session') {
      throw new AppError(
        'forbidden',
        ManagementErrorCodes.sessionRequired,
        'Access tokens are created from a signed-in session, not with another token',
      );
    }
    this.assertExpiry(input.expiresAt);
    const token = newToken(ACCESS_TOKEN_PREFIX);
    const repository = this.dataSource.getRepository(AccessTokenEntity);
    const row = await repository.save(
      repository.create({
        adminId: caller.principal.adminId,
        name: input.name,
        tokenHash: tokenHash(token),
        hint: token.slice(0, HINT_LENGTH),
        createdAt: new Date(),
        expiresAt: input.expiresAt,
        lastUsedAt: null,
        revokedAt: null,
      }),
    );
    const view = this.map(row);
    this.changes.record(caller, {
      workspaceId: null,
      action: 'access-token.created',
      target: row.id,
      after: view,
    });
    return { ...view, token };
  }

  async list(caller: Caller): Promise<AccessTokenView[]> {
    const rows = await this.dataSource
      .getRepository(AccessTokenEntity)
      .find({ where: { adminId: caller.principal.adminId }, order: { createdAt: 'DESC' } });
    return rows.map((row) => this.map(row));
  }

  /** Revokes one of the caller's own tokens, at once and for good. */
  async revoke(caller: Caller, id: string): Promise<void> {
    const repository = this.dataSource.getRepository(AccessTokenEntity);
    const row = await repository.findOneBy({ id, adminId: caller.principal.adminId });
    if (!row) {
      throw new AppError('not_found', ManagementErrorCodes.tokenNotFound, 'Access token not found');
    }
    if (row.revokedAt !== null) return;
    const result = await repository.update({ id, revokedAt: IsNull() }, { revokedAt: new Date() });
    if (result.affected === 0) return;
    this.changes.record(caller, {
      workspaceId: null,
      action: 'access-token.revoked',
      target: id,
      before: this.map(row),
    });
  }

  /** The token's owner, or undefined when unknown, expired or revoked. */
  async authenticate(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(ACCESS_TOKEN_PREFIX)) return undefined;
    const row = await this.dataSource
      .getRepository(AccessTokenEntity)
      .createQueryBuilder('t')
      .innerJoin(AdminEntity, 'a', 'a.id = t.admin_id')
      .select('t.id', 'tokenId')
      .addSelect('t.last_used_at', 'lastUsedAt')
      .addSelect('a.id', 'adminId')
      .addSelect('a.email', 'email')
      .addSelect('a.operator', 'operator')
      .where('t.token_hash = :hash', { hash: tokenHash(token) })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('t.expires_at > now()')
      .getRawOne<{
        tokenId: string;
        lastUsedAt: Date | null;
        adminId: string;
        email: string;
        operator: boolean;
      }>();
    if (!row) return undefined;
    if (
      row.lastUsedAt === null ||
      Date.now() - new Date(row.lastUsedAt).getTime() > TOUCH_AFTER_MS
    ) {
      await this.dataSource
        .getRepository(AccessTokenEntity)
        .update({ id: row.tokenId }, { lastUsedAt: new Date() });
    }
    return {
      adminId: row.adminId,
      email: row.email,
      operator: row.operator,
      via: 'token',
      tokenId: row.tokenId,
    };
  }

  private assertExpiry(expiresAt: Date): void {
    const max = Date.now() + this.config.tokens.maxLifetimeDays * 86_400_000;
    const problem =
      expiresAt.getTime() <= Date.now()
        ? 'must be in the future'
        : expiresAt.getTime() > max
          ? `must be at most ${this.config.tokens.maxLifetimeDays} days ahead`
          : undefined;
    if (problem === undefined) return;
    throw new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
      fields: [{ field: 'expiresAt', message: problem }],
    });
  }

  private map(row: AccessTokenEntity): AccessTokenView {
    return {
      id: row.id,
      name: row.name,
      hint: row.hint,
      createdAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
      lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
      revokedAt: row.revokedAt?.toISOString() ?? null,
    };
  }
}
