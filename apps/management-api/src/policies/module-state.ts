import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppError } from '@loyalty-edge/errors';
import { ManagementErrorCodes, type WorkspaceModules } from '@loyalty-edge/management-contracts';
import { WorkspaceEntity } from '../workspaces/workspace.entity.js';

const NAMES: Record<keyof WorkspaceModules, string> = {
  ipFilter: 'IP filter',
  signatureCheck: 'API signature check',
  asyncEvents: 'Async Events',
};

/** Whether an operator has switched a module on for a workspace. */
@Injectable()
export class ModuleState {
  constructor(private readonly dataSource: DataSource) {}

  async enabled(workspaceId: string, module: keyof WorkspaceModules): Promise<boolean> {
    const row = await this.dataSource.getRepository(WorkspaceEntity).findOneBy({ id: workspaceId });
    return row?.[module] === true;
  }

  /** Settings of a module can only change while the module is on. */
  async require(workspaceId: string, module: keyof WorkspaceModules): Promise<void> {
    if (!(await this.enabled(workspaceId, module))) {
      throw new AppError(
        'conflict',
        ManagementErrorCodes.moduleDisabled,
        `The ${NAMES[module]} module is not enabled for this workspace; an operator can enable it`,
      );
    }
  }
}
