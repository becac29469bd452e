import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import {
  ManagementErrorCodes,
  type ModuleKey,
  type WorkspaceRole,
  type WorkspaceView,
} from '@loyalty-edge/management-contracts';
import type { Caller, Principal } from '../access/principal.js';
import { ChangeLog } from '../change-log/change-log.js';
import { staleRevision } from '../revisions/if-match.js';
import { MemberEntity } from './member.entity.js';
import { WorkspaceEntity } from './workspace.entity.js';
import { recordOf, WorkspaceRecords } from './workspace-records.js';

function notFound(): AppError {
  return new AppError('not_found', ManagementErrorCodes.workspaceNotFound, 'Workspace not found');
}

/** Workspaces and their module flags; every change reaches the gateway through KV. */
@Injectable()
export class WorkspacesService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly records: WorkspaceRecords,
    private readonly changes: ChangeLog,
  ) {}

  /** The caller's workspaces with their role; every workspace for operators. */
  async listFor(principal: Principal): Promise<WorkspaceView[]> {
    const repository = this.dataSource.getRepository(WorkspaceEntity);
    if (principal.operator) {
      const rows = await repository.find({ order: { id: 'ASC' } });
      return rows.map((row) => this.map(row, 'operator'));
    }
    const members = await this.dataSource
      .getRepository(MemberEntity)
      .findBy({ adminId: principal.adminId });
    const roles = new Map(members.map((m) => [m.workspaceId, m.role]));
    const rows = await repository.find({ order: { id: 'ASC' } });
    return rows.flatMap((row) => {
      const role = roles.get(row.id);
      return role === undefined ? [] : [this.map(row, role)];
    });
  }

  async get(id: string, role: WorkspaceRole): Promise<WorkspaceView> {
    const row = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id });
    if (!row) throw notFound();
    return this.map(row, role);
  }

  async create(caller: Caller, input: { id: string; name: string }): Promise<WorkspaceView> {
    const now = new Date();
    const row = this.dataSource.getRepository(WorkspaceEntity).create({
      ...input,
      ipFilter: false,
      signatureCheck: false,
      asyncEvents: false,
      modulesRevision: 1,
      membersRevision: 1,
      createdAt: now,
      updatedAt: now,
    });
    let ticket;
    try {
      ticket = await this.dataSource.transaction(async (manager) => {
        await manager.getRepository(WorkspaceEntity).insert(row);
        return this.records.write(manager, row);
      });
    } catch (cause) {
      if ((cause as { code?: unknown }).code === '23505') {
        throw new AppError(
          'conflict',
          ManagementErrorCodes.workspaceExists,
          `Workspace ${input.id} exists`,
        );
      }
      throw cause;
    }
    await this.records.settled(ticket);
    this.changes.record(caller, {
      workspaceId: row.id,
      action: 'workspace.created',
      target: row.id,
      after: recordOf(row),
    });
    return this.map(row, 'operator');
  }

  /**
   * Switches one module, if the modules are still at `expected` (compare-and-set under the row
   * lock): a switch never undoes another made since the caller's read.
   */
  async setModule(
    caller: Caller,
    id: string,
    change: { module: ModuleKey; enabled: boolean; expected: number },
  ): Promise<WorkspaceView> {
    const role = caller.workspaceRole ?? 'operator';
    const { before, row, ticket } = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(WorkspaceEntity);
      const current = await repository.findOne({
        where: { id },
        lock: { mode: 'pessimistic_write' },
      });
      if (!current) throw notFound();
      if (current.modulesRevision !== change.expected) {
        throw staleRevision(
          `The modules were switched by someone else since you read them (revision ${current.modulesRevision}, not ${change.expected}): nothing was changed; read them again and re-apply your switch`,
          current.modulesRevision,
          this.map(current, role),
        );
      }
      const previous = recordOf(current).modules;
      current[change.module] = change.enabled;
      current.modulesRevision += 1;
      current.updatedAt = new Date();
      const saved = await repository.save(current);
      return { before: previous, row: saved, ticket: await this.records.write(manager, saved) };
    });
    await this.records.settled(ticket);
    this.changes.record(caller, {
      workspaceId: id,
      action: 'workspace.modules.updated',
      target: id,
      before,
      after: recordOf(row).modules,
    });
    return this.map(row, role);
  }

  private map(row: WorkspaceEntity, role: WorkspaceRole): WorkspaceView {
    return {
      ...recordOf(row),
      modulesRevision: row.modulesRevision,
      createdAt: row.createdAt.toISOString(),
      updatedAt: row.updatedAt.toISOString(),
      role,
    };
  }
}
