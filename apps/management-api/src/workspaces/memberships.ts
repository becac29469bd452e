import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { WORKSPACE_ID, type WorkspaceRole } from '@loyalty-edge/management-contracts';
import type { Principal } from '../access/principal.js';
import { MemberEntity } from './member.entity.js';
import { WorkspaceEntity } from './workspace.entity.js';

/** The caller's role on a workspace; undefined when it does not exist or they are no member. */
@Injectable()
export class Memberships {
  constructor(private readonly dataSource: DataSource) {}

  async roleOn(principal: Principal, workspaceId: string): Promise<WorkspaceRole | undefined> {
    if (!WORKSPACE_ID.test(workspaceId)) return undefined;
    if (principal.operator) {
      const exists = await this.dataSource
        .getRepository(WorkspaceEntity)
        .existsBy({ id: workspaceId });
      return exists ? 'operator' : undefined;
    }
    const member = await this.dataSource
      .getRepository(MemberEntity)
      .findOneBy({ workspaceId, adminId: principal.adminId });
    return member?.role;
  }
}
