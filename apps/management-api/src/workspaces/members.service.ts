import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import {
  ManagementErrorCodes,
  type AddedMember,
  type MemberRole,
  type MemberView,
} from '@loyalty-edge/management-contracts';
import { AdminEntity } from '../accounts/admin.entity.js';
import { AdminsService, normaliseEmail } from '../accounts/admins.service.js';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { MemberInvitations } from './member-invitations.js';
import { MemberEntity } from './member.entity.js';

export interface NewMember {
  readonly email: string;
  readonly role: MemberRole;
  /** Operators only, and only for an email without an account: its initial password. */
  readonly password?: string;
}

function memberNotFound(): AppError {
  return new AppError('not_found', ManagementErrorCodes.memberNotFound, 'Member not found');
}

function passwordNotAccepted(message: string, reason: string): AppError {
  return new AppError('invalid', ManagementErrorCodes.passwordNotAccepted, message, {
    fields: [{ field: 'password', message: reason }],
  });
}

/**
 * Who may work on a workspace, and as what. Adding someone invites them: a pending membership
 * and a one-time link with which they set their own password (new account) or accept after
 * logging in (existing account). Nobody sets another account's password.
 */
@Injectable()
export class MembersService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admins: AdminsService,
    private readonly invitations: MemberInvitations,
    private readonly changes: ChangeLog,
  ) {}

  /** Active members and pending invitations, by email. */
  async list(workspaceId: string): Promise<MemberView[]> {
    const rows = await this.dataSource
      .getRepository(MemberEntity)
      .createQueryBuilder('m')
      .innerJoin(AdminEntity, 'a', 'a.id = m.admin_id')
      .select('m.admin_id', 'adminId')
      .addSelect('a.email', 'email')
      .addSelect('m.role', 'role')
      .addSelect('m.created_at', 'createdAt')
      .where('m.workspace_id = :workspaceId', { workspaceId })
      .getRawMany<{ adminId: string; email: string; role: MemberRole; createdAt: Date }>();
    const active = rows.map((row) =>
      this.map({ ...row, createdAt: new Date(row.createdAt) }, row.email),
    );
    const invited = (await this.invitations.pending(workspaceId)).map((row) =>
      this.invitations.view(row),
    );
    return [...active, ...invited].sort(
      (a, b) => a.email.localeCompare(b.email) || a.status.localeCompare(b.status),
    );
  }

  /**
   * Invites the email: the answer has the same shape whether it has an account or not, so it
   * tells nothing about other workspaces. With `password` (operators only, new emails only) the
   * account is created and the member active at once.
   */
  async add(caller: Caller, workspaceId: string, input: NewMember): Promise<AddedMember> {
    if (input.password !== undefined) {
      return this.createAccount(caller, workspaceId, { ...input, password: input.password });
    }
    const email = normaliseEmail(input.email);
    const { row, token } = await this.dataSource.transaction(async (manager) => {
      const account = await this.admins.findByEmail(email, manager);
      const repository = manager.getRepository(MemberEntity);
      if (account && (await repository.existsBy({ workspaceId, adminId: account.id }))) {
        throw new AppError('conflict', ErrorCodes.conflict, `${email} is a member already`);
      }
      return this.invitations.create(manager, {
        workspaceId,
        email,
        role: input.role,
        invitedBy: caller.principal.adminId,
      });
    });
    const member = this.invitations.view(row);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.invitation.created',
      target: row.id,
      after: member,
    });
    return {
      member,
      invitation: { url: this.invitations.linkOf(token), expiresAt: row.expiresAt.toISOString() },
    };
  }

  /** Changes the role of a member, or of a pending invitation. */
  async setRole(
    caller: Caller,
    workspaceId: string,
    id: string,
    role: MemberRole,
  ): Promise<MemberView> {
    const changed = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(MemberEntity);
      const row = await repository.findOne({
        where: { workspaceId, adminId: id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!row) return undefined;
      const before = row.role;
      row.role = role;
      return { before, member: await repository.save(row) };
    });
    if (!changed) return this.setInvitationRole(caller, workspaceId, id, role);
    const admin = await this.admins.findById(id);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.role_changed',
      target: id,
      before: { role: changed.before },
      after: { role },
    });
    return this.map(changed.member, admin?.email ?? '');
  }

  /** Removes a member, or revokes a pending invitation (its link stops working). */
  async remove(caller: Caller, workspaceId: string, id: string): Promise<void> {
    const repository = this.dataSource.getRepository(MemberEntity);
    const row = await repository.findOneBy({ workspaceId, adminId: id });
    if (row && ((await repository.delete({ workspaceId, adminId: id })).affected ?? 0) > 0) {
      this.changes.record(caller, {
        workspaceId,
        action: 'workspace.member.removed',
        target: id,
        before: { adminId: id, role: row.role },
      });
      return;
    }
    const revoked = await this.invitations.revoke(workspaceId, id);
    if (!revoked) throw memberNotFound();
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.invitation.revoked',
      target: id,
      before: this.invitations.view(revoked),
    });
  }

  /** The operator path: a new account with an initial password, an active member at once. */
  private async createAccount(
    caller: Caller,
    workspaceId: string,
    input: Required<NewMember>,
  ): Promise<AddedMember> {
    if (!caller.principal.operator) {
      throw passwordNotAccepted(
        'Workspace admins cannot set a password: leave "password" out. The new member gets a one-time invitation link and sets their own password.',
        'is not accepted: the invitee sets their own password through the invitation link',
      );
    }
    const { admin, member } = await this.dataSource.transaction(async (manager) => {
      if (await this.admins.findByEmail(input.email, manager)) {
        throw passwordNotAccepted(
          'An account with this email exists, and nobody sets its password but its owner: leave "password" out to invite it.',
          'is not accepted for an existing account',
        );
      }
      const account = await this.admins.create(
        { email: input.email, password: input.password, operator: false },
        manager,
      );
      await this.invitations.dropFor(manager, workspaceId, account.email);
      const repository = manager.getRepository(MemberEntity);
      const row = repository.create({
        workspaceId,
        adminId: account.id,
        role: input.role,
        createdAt: new Date(),
      });
      return { admin: account, member: await repository.save(row) };
    });
    const view = this.map(member, admin.email);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.added',
      target: admin.id,
      after: { ...view, accountCreated: true },
    });
    return { member: view, invitation: null };
  }

  private async setInvitationRole(
    caller: Caller,
    workspaceId: string,
    id: string,
    role: MemberRole,
  ): Promise<MemberView> {
    const changed = await this.invitations.setRole(workspaceId, id, role);
    if (!changed) throw memberNotFound();
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.invitation.role_changed',
      target: id,
      before: { role: changed.before },
      after: { role },
    });
    return this.invitations.view(changed.row);
  }

  private map(
    row: Pick<MemberEntity, 'adminId' | 'role' | 'createdAt'>,
    email: string,
  ): MemberView {
    return {
      id: row.adminId,
      adminId: row.adminId,
      email,
      role: row.role,
      status: 'active',
      addedAt: row.createdAt.toISOString(),
      expiresAt: null,
    };
  }
}
