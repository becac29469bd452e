import { Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';
import { ErrorCodes } from '@loyalty-edge/contracts';
import { AppError } from '@loyalty-edge/errors';
import {
  ManagementErrorCodes,
  type AcceptedInvitation,
  type InvitationView,
} from '@loyalty-edge/management-contracts';
import type { AdminEntity } from '../accounts/admin.entity.js';
import { AdminsService } from '../accounts/admins.service.js';
import { LoginThrottle } from '../accounts/login-throttle.js';
import { tokenHash } from '../accounts/token-hash.js';
import type { Principal } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { MemberEntity } from '../workspaces/member.entity.js';
import { raiseMembersRevision } from '../workspaces/members-revision.js';
import { WorkspaceEntity } from '../workspaces/workspace.entity.js';
import { InvitationEntity } from './invitation.entity.js';
import { refusalFor, type Refusal } from './refusals.js';

/** Who opens the link: where from, and the signed-in account, if any. */
export interface InviteeRequest {
  readonly requestId: string;
  readonly clientIp: string;
  readonly invitee: Principal | undefined;
}

type Outcome =
  | { readonly refused: Refusal; readonly row: InvitationEntity }
  | {
      readonly accepted: AcceptedInvitation;
      readonly admin: AdminEntity;
      readonly row: InvitationEntity;
    };

function notFound(): AppError {
  return new AppError(
    'not_found',
    ManagementErrorCodes.invitationNotFound,
    'This invitation link is not valid: it was used, revoked or has expired',
  );
}

function passwordRequired(): AppError {
  return new AppError('invalid', ErrorCodes.validation, 'Validation failed', {
    fields: [{ field: 'password', message: 'is required to create your account' }],
  });
}

/**
 * The invitee's side of an invitation link (public routes). A new email sets its password and
 * gets the account and the membership; an existing account must be signed in as itself. The
 * token works once: the row is locked, then deleted with the change. Token attempts count
 * against the address like failed logins; unknown, used and expired tokens answer alike.
 */
@Injectable()
export class InvitationsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly admins: AdminsService,
    private readonly throttle: LoginThrottle,
    private readonly changes: ChangeLog,
  ) {}

  async lookup(token: string, clientIp: string): Promise<InvitationView> {
    const row = await this.find(token, clientIp);
    const workspace = await this.workspaceOf(this.dataSource.manager, row.workspaceId);
    const account = await this.admins.findByEmail(row.email);
    return {
      workspace,
      email: row.email,
      role: row.role,
      expiresAt: row.expiresAt.toISOString(),
      needsPassword: account === null,
    };
  }

  async accept(
    token: string,
    password: string | undefined,
    request: InviteeRequest,
  ): Promise<AcceptedInvitation> {
    const found = await this.find(token, request.clientIp);
    const outcome = await this.dataSource.transaction(async (manager): Promise<Outcome> => {
      // the workspace row first, as every change of members locks it: no deadlock between them
      await manager.getRepository(WorkspaceEntity).findOne({
        where: { id: found.workspaceId },
        lock: { mode: 'pessimistic_write' },
      });
      const row = await manager
        .getRepository(InvitationEntity)
        .createQueryBuilder('i')
        .setLock('pessimistic_write')
        .where('i.id = :id AND i.expires_at > now()', { id: found.id })
        .getOne();
      if (!row) throw notFound();
      const account = await this.admins.findByEmail(row.email, manager);
      const refused = account ? refusalFor(account, password, request.invitee) : undefined;
      if (refused) return { refused, row };
      if (!account && password === undefined) throw passwordRequired();
      const admin =
        account ??
        (await this.admins.create(
          { email: row.email, password: password ?? '', operator: false },
          manager,
        ));
      await this.join(manager, row, admin);
      await manager.getRepository(InvitationEntity).delete({ id: row.id });
      await raiseMembersRevision(manager, row.workspaceId, null);
      const workspace = await this.workspaceOf(manager, row.workspaceId);
      const accepted = {
        workspace,
        email: admin.email,
        role: row.role,
        accountCreated: account === null,
      };
      return { accepted, admin, row };
    });
    if ('refused' in outcome) {
      this.record(outcome.row, request, 'workspace.invitation.refused', {
        email: outcome.row.email,
        reason: outcome.refused.reason,
      });
      throw outcome.refused.error;
    }
    const { admin, row, accepted } = outcome;
    // a new account is its own actor, even from a browser where someone else is signed in
    const actor: Principal | undefined = accepted.accountCreated
      ? { adminId: admin.id, email: admin.email, operator: admin.operator, via: 'session' }
      : request.invitee;
    this.record(row, { ...request, invitee: actor }, 'workspace.invitation.accepted', {
      adminId: admin.id,
      email: admin.email,
      role: row.role,
      accountCreated: accepted.accountCreated,
    });
    return accepted;
  }

  /** The live invitation of a token; the attempt is counted first and given back when found. */
  private async find(token: string, clientIp: string): Promise<InvitationEntity> {
    await this.throttle.beginInvitation(clientIp);
    const row = await this.dataSource
      .getRepository(InvitationEntity)
      .createQueryBuilder('i')
      .where('i.token_hash = :hash AND i.expires_at > now()', { hash: tokenHash(token) })
      .getOne();
    if (!row) throw notFound();
    await this.throttle.invitationFound(clientIp);
    return row;
  }

  private async join(manager: EntityManager, row: InvitationEntity, admin: AdminEntity) {
    try {
      await manager.getRepository(MemberEntity).insert({
        workspaceId: row.workspaceId,
        adminId: admin.id,
        role: row.role,
        createdAt: new Date(),
      });
    } catch (cause) {
      if ((cause as { code?: unknown }).code !== '23505') throw cause;
      throw new AppError('conflict', ErrorCodes.conflict, 'You are a member of this workspace');
    }
  }

  private async workspaceOf(
    manager: EntityManager,
    id: string,
  ): Promise<{ id: string; name: string }> {
    const workspace = await manager.getRepository(WorkspaceEntity).findOneBy({ id });
    if (!workspace) throw notFound();
    return { id: workspace.id, name: workspace.name };
  }

  private record(
    row: InvitationEntity,
    request: InviteeRequest,
    action: string,
    after: Record<string, unknown>,
  ): void {
    const change = { workspaceId: row.workspaceId, action, target: row.id, after };
    const { invitee, requestId, clientIp } = request;
    if (invitee) this.changes.record({ principal: invitee, requestId, clientIp }, change);
    else this.changes.recordAnonymous(change, { requestId, clientIp });
  }
}
