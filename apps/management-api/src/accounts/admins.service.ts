import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { ManagementErrorCodes, type AdminView } from '@loyalty-edge/management-contracts';
import { AdminEntity } from './admin.entity.js';
import { hashPassword, verifyAgainstDummy, verifyPassword } from './password-hasher.js';
import { assertPasswordPolicy } from './password-policy.js';

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

  async changePassword(adminId: string, current: string, next: string): Promise<void> {
    const admin = await this.findById(adminId);
    if (!admin || !(await verifyPassword(current, admin.passwordHash))) {
      throw new AppError('invalid', ManagementErrorCodes.invalidCredentials, 'Validation failed', {
        fields: [{ field: 'currentPassword', message: 'is not the current password' }],
      });
    }
    assertPasswordPolicy(next, admin.email, 'newPassword');
    await this.dataSource
      .getRepository(AdminEntity)
      .update(
        { id: adminId },
        { passwordHash: await hashPassword(next), passwordChangedAt: new Date() },
      );
  }

  view(admin: Pick<AdminEntity, 'id' | 'email' | 'operator'>): AdminView {
    return { id: admin.id, email: admin.email, operator: admin.operator };
  }
}
