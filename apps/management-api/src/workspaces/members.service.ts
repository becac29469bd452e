import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import {
  ManagementErrorCodes,
  type MemberRole,
  type MemberView,
} from '@loyalty-edge/management-contracts';
import { AdminEntity } from '../accounts/admin.entity.js';
import { AdminsService } from '../accounts/admins.service.js';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { MemberEntity } from './member.entity.js';

export interface NewMember {
  readonly email: string;
  readonly role: MemberRole;
  /** Only for a new account: its initial password (must pass the policy). */
  readonly password?: string;
}

function memberNotFound(): AppError {
  return new AppError('not_found', ManagementErrorCodes.memberNotFound, 'Member not found');
}

/** Who may work on a workspace, and as what; adding someone new creates their account. */
@Injectable()
export class MembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admins: AdminsService,
    private readonly changes: ChangeLog,
  ) {}

  async list(workspaceId: string): Promise<MemberView[]> {
    const rows = await this.dataSource
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .innerJoin(AdminEntity, 'a', 'a.id = m.admin_id')
      .select('m.admin_id', 'adminId')
      .addSelect('a.email', 'email')
      .addSelect('m.role', 'role')
      .addSelect('m.created_at', 'addedAt')
      .where('m.workspace_id = :workspaceId', { workspaceId })
      .orderBy('a.email')
      .getRawMany<{ adminId: string; email: string; role: MemberRole; addedAt: Date }>();
    return rows.map((row) => ({ ...row, addedAt: new Date(row.addedAt).toISOString() }));
  }

  /**
   * Adds an existing admin by email, or creates the account with the given initial password.
   * A password given for an existing account is ignored: nobody resets another's password.
   */
  async add(caller: Caller, workspaceId: string, input: NewMember): Promise<MemberView> {
    const { admin, created, member } = await this.dataSource.transaction(async (manager) => {
      let account = await this.admins.findByEmail(input.email, manager);
      const isNew = account === null;
      if (!account) {
        if (input.password === undefined) {
          throw new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
            fields: [{ field: 'password', message: 'is required to create a new account' }],
          });
        }
        account = await this.admins.create(
          { email: input.email, password: input.password, operator: false },
          manager,
        );
      }
      const repository = manager.getRepository(MemberEntity);
      if (await repository.existsBy({ workspaceId, adminId: account.id })) {
        throw new AppError('conflict', ErrorCodes.conflict, `${account.email} is a member already`);
      }
      const row = repository.create({
        workspaceId,
        adminId: account.id,
        role: input.role,
        createdAt: new Date(),
      });
      return { admin: account, created: isNew, member: await repository.save(row) };
    });
    const view = this.map(member, admin.email);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.added',
      target: admin.id,
      after: { ...view, accountCreated: created },
    });
    return view;
  }

  async setRole(
    caller: Caller,
    workspaceId: string,
    adminId: string,
    role: MemberRole,
  ): Promise<MemberView> {
    const { before, member } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(MemberEntity);
      const row = await repository.findOne({
        where: { workspaceId, adminId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) throw memberNotFound();
      const previous = row.role;
      row.role = role;
      return { before: previous, member: await repository.save(row) };
    });
    const admin = await this.admins.findById(adminId);
    const view = this.map(member, admin?.email ?? '');
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.role_changed',
      target: adminId,
      before: { role: before },
      after: { role },
    });
    return view;
  }

  async remove(caller: Caller, workspaceId: string, adminId: string): Promise<void> {
    const removed = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(MemberEntity);
      const row = await repository.findOneBy({ workspaceId, adminId });
      if (!row) throw memberNotFound();
      await repository.delete({ workspaceId, adminId });
      return row;
    });
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.removed',
      target: adminId,
      before: { adminId, role: removed.role },
    });
  }

  private map(row: MemberEntity, email: string): MemberView {
    return {
      adminId: row.adminId,
      email,
      role: row.role,
      addedAt: row.createdAt.toISOString(),
    };
  }
}
