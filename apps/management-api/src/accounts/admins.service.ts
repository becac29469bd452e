import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import type { AdminView, PasswordChanged } from '@loyalty-edge/management-contracts';
import { AccessTokenEntity } from '../access-tokens/access-token.entity.js';
import { AdminEntity } from './admin.entity.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hasher.js';
import { assertPasswordPolicy } from './password-policy.js';
import { SessionEntity } from './session.entity.js';

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

/** Admin accounts: lookup, creation under the password policy, password checks and changes. */
@Injectable()
export class AdminsService {
  constructor(private readonly dataSource: DataSource) {}

  async findByEmail(email: string, manager?: EntityManager): Promise<AdminEntity | null> {
    const repository = (manager ?? this.dataSource.manager).getRepository(AdminEntity);
    return repository.findOneBy({ email: normaliseEmail(email) });
  }

  async findById(id: string): Promise<AdminEntity | null> {
    return this.dataSource.getRepository(AdminEntity).findOneBy({ id });
  }

  /** A new account; the password must pass the policy. */
  async create(
    account: { email: string; password: string; operator: boolean },
    manager?: EntityManager,
    passwordField = 'password',
  ): Promise<AdminEntity> {
    const email = normaliseEmail(account.email);
    assertPasswordPolicy(account.password, email, passwordField);
    const repository = (manager ?? this.dataSource.manager).getRepository(AdminEntity);
    const now = new Date();
    const row = repository.create({
      email,
      passwordHash: await hashPassword(account.password),
      operator: account.operator,
      createdAt: now,
      passwordChangedAt: now,
    });
    try {
      return await repository.save(row);
    } catch (cause) {
      if ((cause as { code?: unknown }).code === '23505') {
        throw new AppError('conflict', ErrorCodes.conflict, 'An account with this email exists');
      }
      throw cause;
    }
  }

  /**
   * The account when the password is right, else undefined. An unknown email costs the same
   * scrypt work as a wrong password, so timing tells nothing.
   */
  async checkPassword(email: string, password: string): Promise<AdminEntity | undefined> {
    const admin = await this.findByEmail(email);
    if (!admin) return verifyAgainstDummy(password).then(() => undefined);
    return (await verifyPassword(password, admin.passwordHash)) ? admin : undefined;
  }

  /** The account when `password` is its current password, else undefined (same work either way). */
  async checkCurrentPassword(adminId: string, password: string): Promise<AdminEntity | undefined> {
    const admin = await this.findById(adminId);
    if (!admin) return verifyAgainstDummy(password).then(() => undefined);
    return (await verifyPassword(password, admin.passwordHash)) ? admin : undefined;
  }

  /**
   * Sets a new password (policy-checked) and, in the same transaction, ends every other way in:
   * the account's sessions but `keepSessionId`, and all its personal access tokens.
   */
  async replacePassword(
    admin: AdminEntity,
    next: string,
    keepSessionId: string | undefined,
  ): Promise<PasswordChanged> {
    assertPasswordPolicy(next, admin.email, 'newPassword');
    const passwordHash = await hashPassword(next);
    return this.dataSource.transaction(async (manager) => {
      await manager
        .getRepository(AdminEntity)
        .update({ id: admin.id }, { passwordHash, passwordChangedAt: new Date() });
      const sessions = await manager
        .createQueryBuilder()
        .delete()
        .from(SessionEntity)
        .where('admin_id = :id', { id: admin.id })
        .andWhere(keepSessionId === undefined ? 'TRUE' : 'id <> :keep', { keep: keepSessionId })
        .execute();
      const tokens = await manager
        .createQueryBuilder()
        .update(AccessTokenEntity)
        .set({ revokedAt: () => 'now()' })
        .where('admin_id = :id AND revoked_at IS NULL', { id: admin.id })
        .execute();
      return {
        otherSessionsEnded: sessions.affected ?? 0,
        accessTokensRevoked: tokens.affected ?? 0,
      };
    });
  }

  view(admin: Pick<AdminEntity, 'id' | 'email' | 'operator'>): AdminView {
    return { id: admin.id, email: admin.email, operator: admin.operator };
  }
}
