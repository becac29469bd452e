import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module.js';
import { ChangeLogModule } from '../change-log/change-log.module.js';
import { WorkspacesModule } from '../workspaces/workspaces.module.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';

@Module({
  imports: [AccountsModule, ChangeLogModule, WorkspacesModule],
  controllers: [AuthController],
  providers: [AuthService],
})
export class AuthModule {}
