import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { schemaOf } from '@loyalty-edge/db';
import type { MemberRole, MemberView } from '@loyalty-edge/management-contracts';
import { newToken, tokenHash } from '../accounts/token-hash.js';
import { MANAGEMENT_CONFIG, type ManagementConfig } from '../config.js';
import { InvitationEntity } from '../invitations/invitation.entity.js';

export interface NewInvitation {
  readonly workspaceId: string;
  readonly email: string;
  readonly role: MemberRole;
  readonly invitedBy: string;
}

/**
 * The admin side of invitations: pending memberships with a one-time link (a random 256-bit
 * token, stored as SHA-256), listed, re-roled and revoked by the workspace's admins.
 */
@Injectable()
export class MemberInvitations {
  constructor(@Inject(MANAGEMENT_CONFIG) private readonly config: ManagementConfig) {}

  /**
   * A new link for the email on the workspace. An earlier invitation of the same email there is
   * replaced (same id, new token, role and expiry): its link stops working.
   */
  async create(
    manager: EntityManager,
    input: NewInvitation,
  ): Promise<{ row: InvitationEntity; token: string }> {
    const token = newToken();
    const rows = await manager.query<{ id: string; createdAt: Date; expiresAt: Date }[]>(
      `INSERT INTO ${schemaOf(manager)}.invitations AS i
         (workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, now(), now() + $6::int * interval '1 hour')
       ON CONFLICT (workspace_id, email) DO UPDATE SET
         role = EXCLUDED.role, token_hash = EXCLUDED.token_hash, invited_by = EXCLUDED.invited_by,
         created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at
       RETURNING i.id, i.created_at AS "createdAt", i.expires_at AS "expiresAt"`,
      [
        input.workspaceId,
        input.email,
        input.role,
        tokenHash(token),
        input.invitedBy,
        this.config.invitations.validityHours,
      ],
    );
    const row = rows[0];
    if (!row) throw new Error('invitation upsert returned nothing');
    const entity = manager.getRepository(InvitationEntity).create({
      ...input,
      id: row.id,
      tokenHash: tokenHash(token),
      createdAt: new Date(row.createdAt),
      expiresAt: new Date(row.expiresAt),
    });
    return { row: entity, token };
  }

  /** Removes the pending invitation of an email that just became a member. */
  async dropFor(manager: EntityManager, workspaceId: string, email: string): Promise<void> {
    await manager.getRepository(InvitationEntity).delete({ workspaceId, email });
  }

  pending(manager: EntityManager, workspaceId: string): Promise<InvitationEntity[]> {
    return manager.getRepository(InvitationEntity).find({ where: { workspaceId } });
  }

  /** In the caller's transaction. */
  async setRole(
    manager: EntityManager,
    workspaceId: string,
    id: string,
    role: MemberRole,
  ): Promise<{ before: MemberRole; row: InvitationEntity } | undefined> {
    const repository = manager.getRepository(InvitationEntity);
    const row = await repository.findOne({
      where: { workspaceId, id },
      lock: { mode: 'pessimistic_write' },
    });
    if (!row) return undefined;
    const before = row.role;
    row.role = role;
    return { before, row: await repository.save(row) };
  }

  /**
   * Deletes the invitation (its link stops working at once), in the caller's transaction;
   * undefined when there is none.
   */
  async revoke(
    manager: EntityManager,
    workspaceId: string,
    id: string,
  ): Promise<InvitationEntity | undefined> {
    const repository = manager.getRepository(InvitationEntity);
    const row = await repository.findOneBy({ workspaceId, id });
    if (!row) return undefined;
    const { affected } = await repository.delete({ workspaceId, id });
    return affected === 0 ? undefined : row;
  }

  /** The admin web app's page for the token (under PUBLIC_URL). */
  linkOf(token: string): string {
    return `${this.config.publicUrl.replace(/\/+$/, '')}/invitations/${token}`;
  }

  view(row: InvitationEntity): MemberView {
    return {
      id: row.id,
      adminId: null,
      email: row.email,
      role: row.role,
      status: 'invited',
      addedAt: row.createdAt.toISOString(),
      expiresAt: row.expiresAt.toISOString(),
    };
  }
}
