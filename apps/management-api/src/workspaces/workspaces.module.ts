import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { MemberInvitations } from './member-invitations.js';
import { Memberships } from './memberships.js';
import { MembersController } from './members.controller.js';
import { MembersService } from './members.service.js';
import { WorkspaceRecords } from './workspace-records.js';
import { WorkspacesController } from './workspaces.controller.js';
import { WorkspacesService } from './workspaces.service.js';

@Module({
  imports: [AccountsModule, ChangeLogModule],
  controllers: [WorkspacesController, MembersController],
  providers: [WorkspacesService, MembersService, MemberInvitations, Memberships, WorkspaceRecords],
  exports: [WorkspacesService, Memberships, WorkspaceRecords],
})
export class WorkspacesModule {}
