import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ErrorCodes } from '@loyalty-edge/contracts';
import {
  ManagementErrorCodes,
  type AddedMember,
  type MemberRole,
  type MembersRevision,
  type MemberView,
} from '@loyalty-edge/management-contracts';
import { AdminEntity } from '../accounts/admin.entity.js';
import { AdminsService, normaliseEmail } from '../accounts/admins.service.js';
import type { Caller } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { staleRevision } from '../revisions/if-match.js';
import { MemberInvitations } from './member-invitations.js';
import { MemberEntity } from './member.entity.js';
import { raiseMembersRevision } from './members-revision.js';
import { WorkspaceEntity } from './workspace.entity.js';

/** What a change answers: its result and the members revision it raised (the new ETag). */
export interface Revised<T> {
  readonly value: T;
  readonly revision: number;
}

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

  /** Active members and pending invitations, by email, with their revision (read together). */
  async list(workspaceId: string): Promise<MembersRevision> {
    return this.dataSource.transaction('REPEATABLE READ', async (manager) => {
      const workspace = await manager.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
      const members = await this.members(manager, workspaceId);
      return { members, revision: workspace?.membersRevision ?? 0 };
    });
  }

  private async members(manager: EntityManager, workspaceId: string): Promise<MemberView[]> {
    const rows = await manager
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
    const invited = (await this.invitations.pending(manager, workspaceId)).map((row) =>
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
  async add(
    caller: Caller,
    workspaceId: string,
    input: NewMember,
    expected: number,
  ): Promise<Revised<AddedMember>> {
    if (input.password !== undefined) {
      const password = input.password;
      return this.createAccount(caller, workspaceId, { ...input, password }, expected);
    }
    const email = normaliseEmail(input.email);
    const { value, revision } = await this.revising(workspaceId, expected, async (manager) => {
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
    const member = this.invitations.view(value.row);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.invitation.created',
      target: value.row.id,
      after: member,
    });
    const invitation = {
      url: this.invitations.linkOf(value.token),
      expiresAt: value.row.expiresAt.toISOString(),
    };
    return { value: { member, invitation }, revision };
  }

  /** Changes the role of a member, or of a pending invitation. */
  async setRole(
    caller: Caller,
    workspaceId: string,
    id: string,
    change: { role: MemberRole; expected: number },
  ): Promise<Revised<MemberView>> {
    const { role } = change;
    const { value, revision } = await this.revising(workspaceId, change.expected, async (m) => {
      const repository = m.getRepository(MemberEntity);
      const row = await repository.findOneBy({ workspaceId, adminId: id });
      if (!row) {
        const invited = await this.invitations.setRole(m, workspaceId, id, role);
        if (!invited) throw memberNotFound();
        return { kind: 'invited' as const, ...invited };
      }
      const before = row.role;
      row.role = role;
      const saved = await repository.save(row);
      const admin = await this.admins.findById(id);
      return { kind: 'active' as const, before, view: this.map(saved, admin?.email ?? '') };
    });
    const invited = value.kind === 'invited';
    this.changes.record(caller, {
      workspaceId,
      action: invited ? 'workspace.invitation.role_changed' : 'workspace.member.role_changed',
      target: id,
      before: { role: value.before },
      after: { role },
    });
    return { value: invited ? this.invitations.view(value.row) : value.view, revision };
  }

  /** Removes a member, or revokes a pending invitation (its link stops working). */
  async remove(
    caller: Caller,
    workspaceId: string,
    id: string,
    expected: number,
  ): Promise<Revised<undefined>> {
    const { value, revision } = await this.revising(workspaceId, expected, async (manager) => {
      const repository = manager.getRepository(MemberEntity);
      const row = await repository.findOneBy({ workspaceId, adminId: id });
      if (row) {
        await repository.delete({ workspaceId, adminId: id });
        return { action: 'workspace.member.removed', before: { adminId: id, role: row.role } };
      }
      const revoked = await this.invitations.revoke(manager, workspaceId, id);
      if (!revoked) throw memberNotFound();
      return { action: 'workspace.invitation.revoked', before: this.invitations.view(revoked) };
    });
    this.changes.record(caller, { workspaceId, target: id, ...value });
    return { value: undefined, revision };
  }

  /**
   * Runs a change of the members in one transaction that first raises their revision, only if
   * it is still `expected`: a stale one changes nothing and answers 412 with the current list.
   */
  private async revising<T>(
    workspaceId: string,
    expected: number,
    work: (manager: EntityManager) => Promise<T>,
  ): Promise<Revised<T>> {
    const done = await this.dataSource.transaction(async (manager) => {
      const revision = await raiseMembersRevision(manager, workspaceId, expected);
      return revision === undefined ? undefined : { value: await work(manager), revision };
    });
    if (done) return done;
    const current = await this.list(workspaceId);
    throw staleRevision(
      `The members changed since you read them (revision ${current.revision}, not ${expected}): nothing was changed; read them again and re-apply your change`,
      current.revision,
      current.members,
    );
  }

  /** The operator path: a new account with an initial password, an active member at once. */
  private async createAccount(
    caller: Caller,
    workspaceId: string,
    input: Required<NewMember>,
    expected: number,
  ): Promise<Revised<AddedMember>> {
    if (!caller.principal.operator) {
      throw passwordNotAccepted(
        'Workspace admins cannot set a password: leave "password" out. The new member gets a one-time invitation link and sets their own password.',
        'is not accepted: the invitee sets their own password through the invitation link',
      );
    }
    const { value, revision } = await this.revising(workspaceId, expected, async (manager) => {
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
    const view = this.map(value.member, value.admin.email);
    this.changes.record(caller, {
      workspaceId,
      action: 'workspace.member.added',
      target: value.admin.id,
      after: { ...view, accountCreated: true },
    });
    return { value: { member: view, invitation: null }, revision };
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
